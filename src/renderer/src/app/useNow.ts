// A clock that ticks only while something is live (a running call), for elapsed-time displays.
import { useEffect, useState } from 'react';

export function useNow(active: boolean, periodMs = 100): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    setNow(performance.now());
    const t = setInterval(() => setNow(performance.now()), periodMs);
    return () => clearInterval(t);
  }, [active, periodMs]);
  return now;
}
