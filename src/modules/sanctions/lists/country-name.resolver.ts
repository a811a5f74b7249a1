/**
 * OFAC writes countries as English names ("Korea, North", "Bahamas, The"); OpenSanctions as
 * ISO 3166-1 alpha-2 codes. Matching compares countries, so both are brought to alpha-2 here.
 * The table covers every country name in the OFAC SDN snapshot plus the usual synonyms; a name
 * it does not know is kept upper-cased (still comparable with itself, never silently dropped).
 */
const TABLE = `AF:Afghanistan|AL:Albania|DZ:Algeria|AO:Angola|AR:Argentina|AM:Armenia|AW:Aruba|AU:Australia|
AT:Austria|AZ:Azerbaijan|BS:Bahamas,Bahamas The|BH:Bahrain|BD:Bangladesh|BB:Barbados|BY:Belarus|BE:Belgium|
BZ:Belize|BJ:Benin|BO:Bolivia|BA:Bosnia and Herzegovina|BR:Brazil|BN:Brunei|BG:Bulgaria|BF:Burkina Faso|
MM:Burma,Myanmar|BI:Burundi|CV:Cabo Verde,Cape Verde|KH:Cambodia|CM:Cameroon|CA:Canada|KY:Cayman Islands|
CF:Central African Republic|TD:Chad|CL:Chile|CN:China|CO:Colombia|KM:Comoros|
CD:Congo Democratic Republic of the,Democratic Republic of the Congo|CG:Congo Republic of the,Congo|CR:Costa Rica|
CI:Cote d Ivoire,Ivory Coast|HR:Croatia|CU:Cuba|CY:Cyprus|CZ:Czech Republic,Czechia|
KP:Korea North,North Korea,Democratic People's Republic of Korea|KR:Korea South,South Korea|DK:Denmark|
DM:Dominica|DO:Dominican Republic|EC:Ecuador|EG:Egypt|SV:El Salvador|GQ:Equatorial Guinea|ER:Eritrea|
ET:Ethiopia|FI:Finland|FR:France|GA:Gabon|GE:Georgia|DE:Germany|GH:Ghana|GI:Gibraltar|GR:Greece|
GT:Guatemala|GN:Guinea|GW:Guinea-Bissau|GY:Guyana|HT:Haiti|HN:Honduras|HK:Hong Kong|IN:India|ID:Indonesia|
IR:Iran|IQ:Iraq|IE:Ireland|IL:Israel|IT:Italy|JM:Jamaica|JP:Japan|JE:Jersey|JO:Jordan|KZ:Kazakhstan|KE:Kenya|
XK:Kosovo|KW:Kuwait|KG:Kyrgyzstan|LA:Laos|LV:Latvia|LB:Lebanon|LR:Liberia|LY:Libya|LI:Liechtenstein|
LU:Luxembourg|MO:Macau|MK:Macedonia The Former Yugoslav Republic of,North Macedonia|MY:Malaysia|MV:Maldives|
ML:Mali|MT:Malta|MH:Marshall Islands|MR:Mauritania|MX:Mexico|MD:Moldova|MN:Mongolia|ME:Montenegro|
MA:Morocco|MZ:Mozambique|NA:Namibia|NL:Netherlands|AN:Netherlands Antilles|NZ:New Zealand|NI:Nicaragua|
NE:Niger|NG:Nigeria|NO:Norway|OM:Oman|PK:Pakistan|PW:Palau|PS:Palestinian,West Bank,Region Gaza,Palestine|
PA:Panama|PY:Paraguay|PE:Peru|PH:Philippines|PL:Poland|PT:Portugal|QA:Qatar|RO:Romania|RU:Russia,Russian Federation|
RW:Rwanda|KN:Saint Kitts and Nevis,St Kitts & Nevis|VC:Saint Vincent and the Grenadines,St Vincent and the Grenadines|
WS:Samoa|SA:Saudi Arabia|SN:Senegal|RS:Serbia|SC:Seychelles|SL:Sierra Leone|SG:Singapore|SK:Slovakia|
SI:Slovenia|SO:Somalia|ZA:South Africa|SS:South Sudan|ES:Spain|LK:Sri Lanka|SD:Sudan|SE:Sweden|
CH:Switzerland|SY:Syria|TW:Taiwan|TJ:Tajikistan|TZ:Tanzania|TH:Thailand|GM:The Gambia,Gambia|TG:Togo|
TT:Trinidad and Tobago|TN:Tunisia|TR:Turkey,Turkiye|TM:Turkmenistan|UG:Uganda|UA:Ukraine|
AE:United Arab Emirates|GB:United Kingdom,UK|US:United States,USA|UY:Uruguay|UZ:Uzbekistan|VU:Vanuatu|
VE:Venezuela|VN:Vietnam|VG:Virgin Islands British|YE:Yemen|ZW:Zimbabwe|UA-43:Region Crimea`;

/** Values that name no country: never a country mismatch. */
const NOT_A_COUNTRY = new Set(['NONE IDENTIFIED', 'UNDETERMINED', 'POSSIBLY PALESTINIAN', '']);

export class CountryNameResolver {
  private static readonly byName: ReadonlyMap<string, string> = CountryNameResolver.buildTable();

  /** ISO alpha-2 for a country name or code; upper-cased input when unknown; undefined for "none". */
  resolve(raw: string): string | undefined {
    const key = CountryNameResolver.key(raw);
    if (NOT_A_COUNTRY.has(key)) return undefined;
    if (/^[A-Z]{2}$/.test(key)) return key;
    return CountryNameResolver.byName.get(key) ?? key;
  }

  private static key(raw: string): string {
    return raw.toUpperCase().replace(/[.,:]/g, '').replace(/\s+/g, ' ').trim();
  }

  private static buildTable(): Map<string, string> {
    const map = new Map<string, string>();
    for (const item of TABLE.replace(/\n/g, '').split('|')) {
      const [code, names] = item.split(':') as [string, string];
      for (const name of names.split(',')) map.set(CountryNameResolver.key(name), code);
    }
    return map;
  }
}
