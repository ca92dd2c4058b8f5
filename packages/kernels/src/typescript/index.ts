export { typescriptImplementation } from './typescript_implementation';
