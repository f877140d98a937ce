import { Query } from '@nestjs/cqrs';
import type { ContinuityReport, RawReportParameters } from '@hub/continuity';
import type { Purpose } from '@hub/kernel';
import type { Principal } from '@hub/security';

/** The continuity-of-care report (SPEC section 5) for an agency, as its agreements allow. */
export class ContinuityReportQuery extends Query<ContinuityReport> {
  constructor(readonly principal: Principal, readonly purpose: Purpose, readonly parameters: RawReportParameters) {
    super();
  }
}
