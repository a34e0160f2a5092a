export {
  flash,
  getFlashedMessages,
  type FlashingSession,
  type FlashMessage,
  type FlashTuple,
  type GetFlashedMessagesOptions,
} from './flash.js';
