// Settings → Appearance: the theme choice (System / Light / Dark).
import { useApp } from '#renderer/app/stores.tsx';
import { chooseTheme, THEME_PREFS, useThemePref } from '#renderer/app/theme.ts';

/** System / Light / Dark: saved in the workspace, applied at once (also from the palette: "Theme"). */
export function ThemeSetting() {
  const { transport } = useApp();
  const pref = useThemePref();
  return (
    <fieldset className="set-theme" data-testid="theme-setting">
      <legend>Theme</legend>
      {THEME_PREFS.map((t) => (
        <label key={t.id} className="set-theme-choice">
          <input
            type="radio"
            name="casebench-theme"
            value={t.id}
            checked={pref === t.id}
            onChange={() => chooseTheme(t.id, transport)}
            data-testid={`theme-${t.id}`}
          />{' '}
          {t.label}
          {t.id === 'system' && <span className="faint small"> (follows your operating system)</span>}
        </label>
      ))}
    </fieldset>
  );
}
