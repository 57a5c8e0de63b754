// UPI payment-address handles (the part after '@') of the apps and banks on NPCI's
// list of UPI members, lower case. A UPI id has no checksum: a known handle without a
// domain after it is what tells "rahul@okaxis" (UPI) from "rahul@okaxis.com" (e-mail).
export const UPI_HANDLES: ReadonlySet<string> = new Set([
  // third-party apps
  'ybl', 'ibl', 'axl', 'apl', 'yapl', 'rapl', 'abfspay', 'okaxis', 'okhdfcbank', 'okicici', 'oksbi', 'okbizaxis',
  'paytm', 'pthdfc', 'ptaxis', 'ptsbi', 'ptyes', 'waaxis', 'wahdfcbank', 'waicici', 'wasbi', 'jupiteraxis',
  'freecharge', 'ikwik', 'mbk', 'naviaxis', 'superyes', 'goaxb', 'tapicici', 'yescred', 'axisb', 'fam', 'slice',
  'timecosmos', 'pingpay', 'yespay', 'amazonpay', 'apay', 'amazon', 'inhdfc', 'kphdfc', 'jiopay', 'airtel',
  'airtelpaymentsbank', 'postbank', 'upi', 'bhim', 'indie', 'shriramhdfcbank', 'dlb', 'nsdl', 'fifederal', 'pockets',
  'zoicici', 'yesg', 'ezeepay', 'trans', 'ratn', 'kmb', 'kmbl', 'kotak', 'kotak811', 'idfcbank', 'idfcfirst',
  'idfcnetc', 'icici', 'hdfcbank', 'hdfcbankjd', 'sbi', 'axisbank', 'axis', 'yesbank', 'yesbankltd', 'indus',
  'indusind', 'federal', 'fbl', 'pnb', 'barodampay', 'barodapay', 'boi', 'cnrb', 'canarabank', 'unionbank',
  'unionbankofindia', 'uboi', 'upiunionbank', 'centralbank', 'cbin', 'mahb', 'iob', 'indianbank', 'idbi', 'idbibank',
  'ucobank', 'uco', 'psb', 'rbl', 'aubank', 'dbs', 'hsbc', 'sc', 'citi', 'citigold', 'dcb', 'dcbbank', 'kbl',
  'karurvysyabank', 'kvb', 'kvbank', 'tjsb', 'equitas', 'esaf', 'jsb', 'jkb', 'csbpay', 'csb', 'south', 'sib',
  'ujjivan', 'utkarsh', 'suryoday', 'finobank', 'fino', 'aubankltd', 'cmsidfc', 'hsbcbank', 'barclays', 'dbsbank',
  'bandhan', 'tmb', 'cub', 'lvb', 'nainital', 'obc', 'allbank', 'andb', 'syndicate', 'vijb', 'denabank', 'pingpe',
  'mahindra', 'cred', 'mobikwik', 'phonepe', 'gpay', 'okpay', 'jio', 'niyoicici', 'oneyes', 'yesfam',
]);
