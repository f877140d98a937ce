import { SetMetadata } from '@nestjs/common';

export const isPublicKey = 'cdp-hub:public';
/** The few routes that need no token: liveness and the published contract. Everything else authenticates. */
export const Public = () => SetMetadata(isPublicKey, true);
