import { normalizeReactionEmoji, REACTION_SHORTCODES, reactionEmojiSchema, reactionParamSchema } from '@chat/shared';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';

describe('reaction emoji validation', () => {
  it.each([
    ['👍', 'plain'],
    ['👍🏽', 'skin tone'],
    ['🧑🏿‍🚀', 'skin tone in a ZWJ sequence'],
    ['👨‍👩‍👧‍👦', 'ZWJ family'],
    ['🏳️‍🌈', 'ZWJ flag'],
    ['🇫🇷', 'regional-indicator flag'],
    ['1️⃣', 'keycap'],
    ['#️⃣', 'keycap #'],
    ['❤️', 'text-default symbol with the emoji selector'],
    ['🫠', 'recent emoji'],
  ])('accepts %s (%s) as it is', (emoji) => {
    expect(reactionEmojiSchema.parse(emoji)).toBe(emoji);
  });

  it.each([['ab'], ['👍👍'], ['a'], ['1'], ['#'], [''], [' '], ['👍 '], [':nope:'], ['+1'], ['🇿🇿'], ['x'.repeat(100)]])('refuses %j', (value) => {
    expect(reactionEmojiSchema.safeParse(value).success).toBe(false);
  });

  it('stores a shortcode as the emoji it names, so both spellings are one reaction', () => {
    expect(reactionEmojiSchema.parse(':+1:')).toBe('👍');
    expect(reactionEmojiSchema.parse(':thumbsup:')).toBe('👍');
    expect(reactionEmojiSchema.parse(':heart:')).toBe('❤️');
    expect(reactionEmojiSchema.parse(':tada:')).toBe('🎉');
    for (const [shortcode, emoji] of Object.entries(REACTION_SHORTCODES)) {
      expect(normalizeReactionEmoji(shortcode), shortcode).toBe(emoji);
      // Every listed shortcode names an emoji that is itself valid and already in its stored form.
      expect(normalizeReactionEmoji(emoji), emoji).toBe(emoji);
    }
  });

  it('gives one spelling to symbols that may come with or without the emoji selector', () => {
    expect(normalizeReactionEmoji('❤')).toBe('❤️');
    expect(normalizeReactionEmoji('❤️')).toBe('❤️');
    // Emoji by default: the selector is dropped.
    expect(normalizeReactionEmoji('👍\uFE0F')).toBe('👍');
    expect(normalizeReactionEmoji('1\u20E3')).toBe('1️⃣');
  });

  it('decodes the path parameter with the same rules', () => {
    const base = { id: randomUUID(), messageId: randomUUID() };
    expect(reactionParamSchema.parse({ ...base, emoji: ':+1:' }).emoji).toBe('👍');
    const refused = reactionParamSchema.safeParse({ ...base, emoji: '👍👍' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['emoji']);
  });
});
