import { Injectable } from '@nestjs/common';

/** The time, behind a class tests can replace to pin it (deadlines, expiry, review ages). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
