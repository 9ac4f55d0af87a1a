export { MessageSearch } from './components/message-search';
