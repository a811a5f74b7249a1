import fc from 'fast-check';
import { NameNormalizer } from './name.normalizer';

describe('NameNormalizer', () => {
  const normalizer = new NameNormalizer();

  it('reorders "LAST, First", drops honorifics and keeps particles as generic tokens', () => {
    expect(normalizer.normalize('AL-ZAWAHIRI, Dr. Ayman')).toEqual({
      tokens: ['AYMAN', 'AL', 'ZAWAHIRI'], generic: [false, true, false], companyForms: [], honorifics: ['DR'],
    });
  });

  it('sets company forms aside, dotted or not, anywhere in the name', () => {
    expect(normalizer.normalize('GIORGINO CORPORATION OF PANAMA, S.A.')).toMatchObject({ tokens: ['GIORGINO', 'PANAMA'], companyForms: ['CORP', 'SA'] });
    expect(normalizer.normalize('RED MUNDIAL INMOBILIARIA, S.A. DE C.V.').companyForms).toEqual(['SA', 'DE CV']);
    expect(normalizer.normalize('OOO Ромашка')).toMatchObject({ tokens: ['ROMASHKA'], companyForms: ['OOO'] });
    expect(normalizer.normalize('CORP')).toMatchObject({ tokens: [], companyForms: ['CORP'] });
  });

  it('keeps a two-letter form that starts the name (AB BANK)', () => {
    expect(normalizer.normalize('AB BANK LTD').tokens).toEqual(['AB', 'BANK']);
  });

  it('folds accents and letters NFKD leaves whole', () => {
    expect(normalizer.normalize('Straße Łódź Øresund Þór Æbelø').tokens).toEqual(['STRASSE', 'LODZ', 'ORESUND', 'THOR', 'AEBELO']);
  });

  it('is idempotent: normalising the tokens again changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const once = normalizer.normalize(raw);
        const twice = normalizer.normalize(once.tokens.join(' '));
        expect(twice.tokens).toEqual(once.tokens);
      }),
      { numRuns: 500 },
    );
  });
});
