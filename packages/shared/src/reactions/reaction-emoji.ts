import emojiRegex from 'emoji-regex';

/**
 * The shortcodes a client may send instead of the emoji itself. Each names a Unicode emoji and is
 * stored as that emoji, so 👍 and :+1: are one reaction.
 */
export const REACTION_SHORTCODES: Readonly<Record<string, string>> = {
  ':+1:': '👍',
  ':thumbsup:': '👍',
  ':-1:': '👎',
  ':thumbsdown:': '👎',
  ':heart:': '❤️',
  ':joy:': '😂',
  ':smile:': '😄',
  ':slightly_smiling_face:': '🙂',
  ':laughing:': '😆',
  ':wink:': '😉',
  ':heart_eyes:': '😍',
  ':thinking_face:': '🤔',
  ':open_mouth:': '😮',
  ':cry:': '😢',
  ':sob:': '😭',
  ':angry:': '😠',
  ':tada:': '🎉',
  ':fire:': '🔥',
  ':eyes:': '👀',
  ':pray:': '🙏',
  ':clap:': '👏',
  ':raised_hands:': '🙌',
  ':muscle:': '💪',
  ':ok_hand:': '👌',
  ':wave:': '👋',
  ':100:': '💯',
  ':white_check_mark:': '✅',
  ':heavy_check_mark:': '✔️',
  ':x:': '❌',
  ':rocket:': '🚀',
  ':star:': '⭐',
  ':sparkles:': '✨',
  ':rotating_light:': '🚨',
  ':point_up:': '☝️',
};

// emoji-regex's source is written with surrogate pairs; anchored, it matches exactly one emoji.
const ONE_EMOJI = new RegExp(`^(?:${emojiRegex().source})$`);
const SINGLE_CODE_POINT = /^(\P{M})\uFE0F?$/u;
const KEYCAP = /^([0-9#*])\uFE0F?\u20E3$/u;
const segmenter = new Intl.Segmenter();

const graphemeCount = (value: string) => Array.from(segmenter.segment(value)).length;

/**
 * One spelling per reaction: a shortcode becomes its emoji; a lone symbol gets the emoji-style
 * selector (U+FE0F) exactly when it is not an emoji by default ("❤" and "❤️" are one reaction);
 * a keycap always carries it.
 */
function canonical(value: string): string {
  const named = REACTION_SHORTCODES[value];
  if (named !== undefined) return named;
  const keycap = KEYCAP.exec(value);
  if (keycap) return `${keycap[1]}\uFE0F\u20E3`;
  const single = SINGLE_CODE_POINT.exec(value);
  if (single && [...single[1]!].length === 1) {
    const base = single[1]!;
    return /\p{Emoji_Presentation}/u.test(base) ? base : `${base}\uFE0F`;
  }
  return value;
}

/** The stored form of a reaction, or null when the value is not one emoji nor a known shortcode. */
export function normalizeReactionEmoji(value: string): string | null {
  const emoji = canonical(value.normalize('NFC'));
  if (graphemeCount(emoji) !== 1 || !ONE_EMOJI.test(emoji)) return null;
  return emoji;
}
