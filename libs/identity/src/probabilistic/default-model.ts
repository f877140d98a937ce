import type { FellegiSunterModel } from './fellegi-sunter';

/**
 * The model the identity processor uses until one is trained on the hub's own records: the
 * parameters `trainModel` (u from 100k random pairs, m by EM in two sessions) estimated on 10,000
 * simulated people with the default noise model (`hub simulate --noise default`, seed
 * `default-model`), rounded to four significant figures. Regenerate with the same call when the
 * comparisons change. lambda is the prior that two random records are the same person.
 */
export const defaultModel: FellegiSunterModel = {
  lambda: 0.00009345,
  parameters: {
    givenName: { m: [0.906, 0.04395, 0.02858, 0.0009992, 0.02043], u: [0.008322, 0.0009473, 0.001141, 0.0009066, 0.9887] },
    familyName: { m: [0.9485, 0.04436, 0.005138, 0.000998, 0.000998], u: [0.004807, 0.000668, 0.003563, 0.000749, 0.9902] },
    dateOfBirth: { m: [0.9456, 0.01427, 0.03818, 0.0009988, 0.0009988], u: [0.0002215, 0.00004027, 0.002487, 0.03058, 0.9667] },
    sex: { m: [0.999, 0.0009991], u: [0.7233, 0.2767] },
    postcodeDistrict: { m: [0.999, 0.0009991], u: [0.08394, 0.9161] },
    nhsNumber: { m: [0.999, 0.000999], u: [0.0002906, 0.9997] },
    pncId: { m: [0.999, 0.0009998], u: [0.0001204, 0.9999] },
    nomisId: { m: [0.999, 0.000999], u: [0.0001578, 0.9998] },
    deliusCrn: { m: [0.999, 0.000999], u: [0.0001593, 0.9998] },
  },
};
