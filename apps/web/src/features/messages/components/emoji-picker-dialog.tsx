import { lazy, Suspense } from 'react';
import { Dialog } from '../../../components/ui/dialog';
import { Spinner } from '../../../components/ui/spinner';

const EmojiPickerPanel = lazy(() => import('./emoji-picker-panel'));

/** "Add reaction": a dialog with the emoji picker, which loads on first open. */
export function EmojiPickerDialog({ open, onClose, onPick }: { open: boolean; onClose: () => void; onPick: (emoji: string) => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Add reaction" className="w-[min(24rem,calc(100vw-1rem))]">
      <Suspense
        fallback={
          <div className="flex h-[360px] items-center justify-center">
            <Spinner />
          </div>
        }
      >
        <EmojiPickerPanel
          onPick={(emoji) => {
            onPick(emoji);
            onClose();
          }}
        />
      </Suspense>
    </Dialog>
  );
}
