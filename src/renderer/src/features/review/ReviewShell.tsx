// What the Review feature keeps mounted in the shell whatever view is shown: the new-queue dialog
// and the file picker for importing review lines (so the palette can open both).
import { useEffect, useRef } from 'react';
import { MAX_IMPORT_BYTES } from '#shared/limits.ts';
import { useApp, useS } from '#renderer/app/stores.tsx';
import { NewQueueModal } from './NewQueueModal.tsx';

export function ReviewShell() {
  const { stores } = useApp();
  const creating = useS('review', (s) => s.creating);
  const importSeq = useS('review', (s) => s.importSeq);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (importSeq > 0) ref.current?.click();
  }, [importSeq]);
  const onChange = async (el: HTMLInputElement): Promise<void> => {
    const file = el.files?.[0];
    el.value = '';
    if (!file) return;
    const actions = stores.review.getState().actions;
    stores.layout.getState().actions.showActivity('review');
    actions.setResultsScope({});
    stores.editor.getState().actions.openReviewResults();
    if (file.size > MAX_IMPORT_BYTES) {
      stores.log
        .getState()
        .actions.add(
          'error',
          `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; a browser upload is limited to ${(MAX_IMPORT_BYTES / 1e6).toFixed(1)} MB. Use casebench reviews import ${file.name}.`,
        );
      stores.layout.getState().actions.showPanel('log');
      return;
    }
    await actions.importReviews(file.name, await file.text());
  };
  return (
    <>
      {creating && <NewQueueModal />}
      <input
        ref={ref}
        type="file"
        accept=".jsonl,.ndjson,.json,.txt"
        className="sr-only"
        tabIndex={-1}
        aria-hidden
        data-testid="reviews-file-input"
        onChange={(e) => void onChange(e.currentTarget)}
      />
    </>
  );
}
