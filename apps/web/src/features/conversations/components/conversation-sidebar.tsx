import { useState } from 'react';
import { IconButton } from '../../../components/ui/icon-button';
import { PencilSquareIcon } from '../../../components/ui/icons';
import { ConversationList } from './conversation-list';
import { CreateConversationModal } from './create-conversation-modal';

/** The sidebar's content: a header with "New conversation" and the scrollable list. */
export function ConversationSidebar() {
  const [creating, setCreating] = useState(false);
  const openCreate = () => setCreating(true);

  return (
    <>
      <div className="flex h-14 shrink-0 items-center justify-between gap-2 border-b border-slate-100 pl-4 pr-2.5">
        <h2 className="text-sm font-semibold text-slate-900">Conversations</h2>
        <IconButton label="New conversation" icon={<PencilSquareIcon />} onClick={openCreate} className="hover:bg-indigo-50 hover:text-indigo-600" />
      </div>
      <ConversationList onNewConversation={openCreate} />
      <CreateConversationModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
