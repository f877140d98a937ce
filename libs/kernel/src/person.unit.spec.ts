import { isValidNhsNumber } from './person';

describe('NHS number check digit', () => {
  it.each(['9434765919', '9434765870', '9449305552', '943 476 5919'])('accepts %s', (value) => {
    expect(isValidNhsNumber(value)).toBe(true);
  });
  it.each(['9434765918', '943476591', 'A434765919', '1234567890'])('refuses %s', (value) => {
    expect(isValidNhsNumber(value)).toBe(false);
  });
});
