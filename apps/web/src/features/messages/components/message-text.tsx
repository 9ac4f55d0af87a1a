import { Fragment, type ReactNode, useId, useMemo, useState } from 'react';
import { cn } from '../../../lib/cn';
import { type BlockNode, type InlineNode, isLongMessage, parseMessage } from '../../../lib/format-message';
import { findMentionSpans, type MentionChip } from '../lib/mentions';

const NO_CHIPS: readonly MentionChip[] = [];

interface RenderContext {
  inverted: boolean;
  chips: readonly MentionChip[];
}

/**
 * A message's text with its safe formatting, built as React elements (never HTML from the message).
 * Long messages start collapsed behind "Show more". The "@Name" of each mention is a chip.
 */
export function MessageText({ content, inverted, mentions = NO_CHIPS }: { content: string; inverted: boolean; mentions?: readonly MentionChip[] }) {
  const blocks = useMemo(() => parseMessage(content), [content]);
  const long = useMemo(() => isLongMessage(content), [content]);
  const [expanded, setExpanded] = useState(false);
  const bodyId = useId();
  const collapsed = long && !expanded;

  return (
    <div>
      <div
        id={bodyId}
        data-message-text=""
        className={cn(
          'space-y-1.5 whitespace-pre-wrap break-words',
          collapsed && 'max-h-72 overflow-hidden [mask-image:linear-gradient(to_bottom,black_75%,transparent)]',
        )}
      >
        {blocks.map((block, index) => renderBlock(block, index, { inverted, chips: mentions }))}
      </div>
      {long && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={() => setExpanded((value) => !value)}
          className={cn(
            'mt-1 rounded text-xs font-semibold underline focus-visible:outline-2',
            inverted ? 'text-white focus-visible:outline-white' : 'text-indigo-700 focus-visible:outline-indigo-600',
          )}
        >
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
    </div>
  );
}

function renderBlock(block: BlockNode, key: number, context: RenderContext): ReactNode {
  const { inverted } = context;
  switch (block.type) {
    case 'paragraph':
      return <p key={key}>{renderInline(block.children, context)}</p>;
    case 'quote':
      return (
        <blockquote key={key} className={cn('border-l-2 pl-2.5', inverted ? 'border-indigo-200 text-indigo-50' : 'border-slate-300 text-slate-600')}>
          {renderInline(block.children, context)}
        </blockquote>
      );
    case 'codeBlock':
      return (
        <pre
          key={key}
          className={cn('overflow-x-auto whitespace-pre rounded-lg px-2.5 py-2 font-mono text-[0.8125rem]', inverted ? 'bg-indigo-800/60' : 'bg-slate-100')}
        >
          <code>{block.text}</code>
        </pre>
      );
  }
}

function renderInline(nodes: readonly InlineNode[], context: RenderContext): ReactNode[] {
  const { inverted } = context;
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        return context.chips.length > 0 ? <Fragment key={index}>{withMentionChips(node.text, context)}</Fragment> : node.text;
      case 'bold':
        return <strong key={index}>{renderInline(node.children, context)}</strong>;
      case 'italic':
        return <em key={index}>{renderInline(node.children, context)}</em>;
      case 'code':
        return (
          <code key={index} className={cn('rounded px-1 py-0.5 font-mono text-[0.8125rem]', inverted ? 'bg-indigo-800/60' : 'bg-slate-100')}>
            {node.text}
          </code>
        );
      case 'link':
        return (
          <a
            key={index}
            href={node.href}
            target="_blank"
            rel="noopener noreferrer"
            className={cn('break-all underline underline-offset-2', inverted ? 'text-white' : 'text-indigo-700 hover:text-indigo-900')}
          >
            {node.text}
          </a>
        );
    }
  });
}

/** Plain text with each mention's "@Name" as a chip (its text unchanged, so it reads and copies the same). */
function withMentionChips(text: string, { chips, inverted }: RenderContext): ReactNode[] {
  const highlighted = new Set(chips.filter((chip) => chip.highlighted).map((chip) => chip.name.toLowerCase()));
  const parts: ReactNode[] = [];
  let from = 0;
  for (const span of findMentionSpans(
    text,
    chips.map((chip) => chip.name),
  )) {
    if (span.start > from) parts.push(text.slice(from, span.start));
    const mine = highlighted.has(span.name.toLowerCase());
    parts.push(
      <span
        key={span.start}
        data-mention={mine ? 'me' : ''}
        className={cn(
          'rounded-md px-1 py-px font-semibold',
          mine ? 'bg-amber-200 text-amber-950' : inverted ? 'bg-white/20 text-white' : 'bg-indigo-50 text-indigo-800',
        )}
      >
        {text.slice(span.start, span.end)}
      </span>,
    );
    from = span.end;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}
