import { useEffect, useState } from 'react';

const CONFIRMATION_MS = 2_000;

/** Copies text to the clipboard and reports `copied` for a moment, for a "Copied" confirmation. */
export function useCopyLink() {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), CONFIRMATION_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async (text: string): Promise<boolean> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      return true;
    } catch {
      // Clipboard access denied (insecure origin, permissions): the caller can show the link instead.
      return false;
    }
  };

  return { copied, copy };
}
