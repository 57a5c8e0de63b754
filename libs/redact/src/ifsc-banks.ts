// The four-letter bank codes that open an IFSC, for the banks most Indian accounts are
// held at (RBI's list has more: an IFSC of another bank is still found when the text
// labels it "IFSC"). No check digit exists; the code list is the validation.
export const IFSC_BANKS: ReadonlySet<string> = new Set([
  'SBIN', 'HDFC', 'ICIC', 'UTIB', 'KKBK', 'PUNB', 'BARB', 'CNRB', 'UBIN', 'BKID', 'CBIN', 'IOBA', 'IDIB', 'UCBA',
  'MAHB', 'PSIB', 'YESB', 'INDB', 'IDFB', 'FDRL', 'KARB', 'KVBL', 'SIBL', 'CSBK', 'CIUB', 'DCBL', 'DLXB', 'TMBL',
  'JAKA', 'RATN', 'BDBL', 'IBKL', 'AUBL', 'ESFB', 'UJVN', 'EQTB', 'SURY', 'UTKS', 'JSFB', 'NESF', 'FINO', 'AIRP',
  'IPOS', 'PYTM', 'JIOP', 'NSPB', 'SCBL', 'CITI', 'HSBC', 'DBSS', 'DEUT', 'BARC', 'BOFA', 'CHAS', 'ANZB', 'BNPA',
  'CRLY', 'MSNU', 'SVCB', 'COSB', 'ABHY', 'APGB', 'APGV', 'KSCB', 'MSCI', 'TJSB', 'SRCB', 'NKGS', 'BACB', 'GSCB',
  'HPSC', 'KLGB', 'PKGB', 'VARA', 'ZSBL', 'ORBC', 'ALLA', 'ANDB', 'CORP', 'SYNB', 'VIJB', 'BKDN', 'LAVB', 'ABNA',
  'KAIJ', 'PJSB', 'SVBL', 'NTBL', 'MAHG', 'KCCB', 'GSSB', 'TNSC', 'WBSC', 'RSCB', 'UPCB', 'PUCB', 'ICBK', 'SMBC',
  'MHCB', 'BOTM', 'KOEX', 'HVBK', 'SHBK', 'QNBA', 'NOSC', 'DOHB', 'CTBA', 'SBMY', 'ADCB', 'MASH', 'FIRN', 'RBIS',
]);
