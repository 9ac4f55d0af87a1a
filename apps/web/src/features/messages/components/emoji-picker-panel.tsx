import EmojiPicker, { EmojiStyle } from 'emoji-picker-react';

/**
 * The picker itself, in its own module so it (and its emoji data) loads only when a picker first
 * opens (see EmojiPickerDialog). Native emoji: nothing is fetched from elsewhere.
 */
export default function EmojiPickerPanel({ onPick }: { onPick: (emoji: string) => void }) {
  return (
    <EmojiPicker
      onEmojiClick={(data) => onPick(data.emoji)}
      emojiStyle={EmojiStyle.NATIVE}
      lazyLoadEmojis
      autoFocusSearch
      previewConfig={{ showPreview: false }}
      width="100%"
      height={360}
    />
  );
}
