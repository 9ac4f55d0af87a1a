/** Over a drop area while files are dragged onto it; the area must be positioned. */
export function DropOverlay({ dragging }: { dragging: boolean }) {
  if (!dragging) return null;
  return (
    <div
      role="status"
      className="pointer-events-none absolute inset-2 z-10 flex items-center justify-center rounded-2xl border-2 border-dashed border-indigo-400 bg-indigo-50/90 text-sm font-semibold text-indigo-700"
    >
      Drop files to attach them
    </div>
  );
}
