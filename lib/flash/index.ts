export {
  flash,
  getFlashedMessages,
  type FlashMessage,
  type FlashTuple,
  type GetFlashedMessagesOptions,
} from './flash.js';
