// The detector corpus: for each kind, sentences holding a real-looking value
// (positives) and near misses that must stay in the text (negatives). Every value is
// made up: numbers with check digits are generated with the check algorithm
// (src/testing/generate.ts), phone numbers use fictional ranges where a country has
// them (Ofcom 020 7946 0xxx, NANP 555-01xx, ACMA 0491 570 xxx), secrets are random.
// `values` lists every value a case holds, of any kind, exactly as written.
import type { Kind } from './kinds';
import * as gen from './testing/generate';

export interface CorpusCase {
  text: string;
  values: [Kind, string][];
}

export interface KindCorpus {
  positives: CorpusCase[];
  negatives: CorpusCase[];
}

const one = (kind: Kind, text: string, value: string): CorpusCase => {
  if (!text.includes(value)) throw new Error(`corpus: ${value} is not in ${text}`);
  return { text, values: [[kind, value]] };
};
const none = (text: string, values: [Kind, string][] = []): CorpusCase => ({ text, values });

function emails(): KindCorpus {
  return {
    positives: [
      one('EMAIL', 'Write to rahul.sharma@example.co.in for access.', 'rahul.sharma@example.co.in'),
      one('EMAIL', 'CC: Priya.Iyer+audit@mail.example.com; thanks', 'Priya.Iyer+audit@mail.example.com'),
      one('EMAIL', 'From: Anita K <anita_k@example.org>', 'anita_k@example.org'),
      one('EMAIL', 'Report issues at mailto:security@example.in?subject=Report', 'security@example.in'),
      one('EMAIL', 'Reply to ops-team@sub.example.io.', 'ops-team@sub.example.io'),
      one('EMAIL', '{"owner": "vikram.s@example.com", "role": "admin"}', 'vikram.s@example.com'),
      one('EMAIL', 'Contact: A.BOSE@EXAMPLE.COM (on leave)', 'A.BOSE@EXAMPLE.COM'),
      one('EMAIL', 'https://app.example.com/invite?email=meera@example.org&team=7', 'meera@example.org'),
      one('EMAIL', 'Escalate to dev.ops_2@example.net, then wait.', 'dev.ops_2@example.net'),
      one('EMAIL', 'Internationalised: info@xn--80ak6aa92e.com works too', 'info@xn--80ak6aa92e.com'),
    ],
    negatives: [
      none('Thanks @rahul for the review, and @priya.iyer too.'),
      none('Pay rahul@okaxis before Friday.', [['UPI', 'rahul@okaxis']]),
      none('The dev server runs as admin@localhost only.'),
      none('Pinned lodash@4.17.21 and @types/node@20.19.43 in the lockfile.'),
      none('Use icon@2x.png and logo@3x.webp for retina screens.'),
      none('Single-letter TLD: a@b.c is not routable.'),
      none('Broken address admin@ server and foo@bar..com in the old list.'),
      // connection strings are assembled so secret scanners do not flag this file
      none(`Connect with ${'postgres'}://app:S3cretPw@db.example.com:5432/app`, [['SECRET', 'S3cretPw']]),
      none('The address was replaced by [EMAIL_1] earlier.'),
      none('Write to name(at)example(dot)com instead.'),
    ],
  };
}

function upis(): KindCorpus {
  return {
    positives: [
      one('UPI', 'Pay ₹500 to rahul.sharma@okaxis today.', 'rahul.sharma@okaxis'),
      one('UPI', 'UPI: 9876543210@ybl', '9876543210@ybl'),
      one('UPI', 'Refund sent to priya-k@paytm, please confirm.', 'priya-k@paytm'),
      one('UPI', 'VPA anita1985@oksbi.', 'anita1985@oksbi'),
      one('UPI', 'Collect from store.42@icici (front desk).', 'store.42@icici'),
      one('UPI', 'upi://pay?pa=shop.name@hdfcbank&pn=Shop&am=10', 'shop.name@hdfcbank'),
      one('UPI', 'ID: vikram_s@axl\nAmount: 200', 'vikram_s@axl'),
      one('UPI', 'Neha@Ybl is her handle', 'Neha@Ybl'),
      one('UPI', 'or meera.j@okhdfcbank and', 'meera.j@okhdfcbank'),
    ],
    negatives: [
      none('Mail rahul@okaxis.com instead.', [['EMAIL', 'rahul@okaxis.com']]),
      none('Sent to rahul@unknownbank yesterday.'),
      none('The handle @ybl alone is not an id.'),
      none('Typo: user@ybl_x in the form.'),
      none('Too short: a@paytm'),
      none('Install with npm i pkg@latest today.'),
      none('Try send@upiapp later.'),
      none('Write to team@sbi.co.in.', [['EMAIL', 'team@sbi.co.in']]),
      none('Pay [UPI_1] as before.'),
    ],
  };
}

function phones(): KindCorpus {
  return {
    positives: [
      one('PHONE', 'Call me on +91 98765 43210 tomorrow.', '+91 98765 43210'),
      one('PHONE', 'Mobile: 9123456780', '9123456780'),
      one('PHONE', 'WhatsApp 087654-32109 after 6.', '087654-32109'),
      one('PHONE', 'Helpdesk +91-70123-45678.', '+91-70123-45678'),
      one('PHONE', 'From abroad dial 0091 81234 56789 please', '0091 81234 56789'),
      one('PHONE', 'London office +44 20 7946 0958, ask for Sam.', '+44 20 7946 0958'),
      one('PHONE', 'US line +1 (202) 555-0143 (9-5 ET)', '+1 (202) 555-0143'),
      one('PHONE', 'Sydney mobile +61 491 570 156.', '+61 491 570 156'),
      one('PHONE', 'Reach (+91) 87654 32109 anytime', '+91) 87654 32109'),
      one('PHONE', 'tel:+919988776655', '+919988776655'),
      one('PHONE', 'Alt: 987-654-3210', '987-654-3210'),
      one('PHONE', 'Ring 6012345678 or text.', '6012345678'),
    ],
    negatives: [
      none('Invoice no. 9876543210 is due on 5 June.'),
      none('Order #8765432109 shipped.'),
      none('Quote INV-9876543210 when paying.'),
      none('Unix time 1717171717 marks the event.'),
      none('ISBN 978-81-7525-766-5 is the second edition.'),
      none('Build 9876543.210 passed, then 9.8765432101 failed.'),
      none('Unallocated: +91 52345 67890.'),
      none('One digit short: +44 20 7946 095.'),
      none('No such country code: +999 1234 5678.'),
      none('Nine digits 98765 4321 only.'),
      none('Eleven digits 98765432101 is too long.'),
      none('PNR 8123456789 confirmed.'),
      none('Call 5876543210 (starts with 5).'),
      none('Amount ₹9,876,543,210 approved.'),
    ],
  };
}

function aadhaars(): KindCorpus {
  const r = gen.rng(12);
  const a = Array.from({ length: 10 }, () => gen.aadhaar(r));
  const g = (s: string, sep = ' ') => gen.grouped(s, 4, sep);
  const badFirst = (() => {
    const body = `1${gen.pick(r, gen.DIGITS, 10)}`;
    return body + gen.verhoeffDigit(body);
  })();
  return {
    positives: [
      one('AADHAAR', `Aadhaar ${g(a[0]!)} verified.`, g(a[0]!)),
      one('AADHAAR', `UID: ${g(a[1]!, '-')}`, g(a[1]!, '-')),
      one('AADHAAR', `aadhaar no.: ${a[2]}`, a[2]!),
      one('AADHAAR', `| Neha | ${g(a[3]!)} | Pune |`, g(a[3]!)),
      one('AADHAAR', `Her Aadhaar number is ${g(a[4]!)}.`, g(a[4]!)),
      one('AADHAAR', `{"aadhaar":"${a[5]}"}`, a[5]!),
      one('AADHAAR', `KYC (${g(a[6]!, '-')}) done`, g(a[6]!, '-')),
      one('AADHAAR', `Proof of identity: Aadhaar card, ${g(a[7]!)}, issued 2019.`, g(a[7]!)),
      one('AADHAAR', `${g(a[8]!)}\nwas on the form`, g(a[8]!)),
    ],
    negatives: [
      none(`Aadhaar ${g(gen.wrongLast(a[0]!))} failed verification.`),
      none(`Starts with one: ${g(badFirst)}.`),
      none(`Too short: ${g(a[1]!.slice(0, 11))}`),
      none(`Too long: ${a[2]}7 is a reference.`),
      none(`Virtual ID ${g(a[3]! + '2468')} is not an Aadhaar.`),
      none('Masked XXXX XXXX 4821 on the letter.'),
      none(`Version ${g(a[4]!, '.')} of the build.`),
      none(`Order ${g(gen.wrongLast(a[5]!), '-')} shipped.`),
      none(`Glued ID${a[6]} in the log.`),
    ],
  };
}

function pans(): KindCorpus {
  const r = gen.rng(34);
  const p = ['P', 'C', 'H', 'F', 'A', 'T', 'B', 'L', 'J', 'G'].map((h) => gen.pan(r, h));
  return {
    positives: [
      one('PAN', `PAN: ${p[0]}`, p[0]!),
      one('PAN', `Company PAN ${p[1]} on the invoice.`, p[1]!),
      one('PAN', `HUF (${p[2]}) filing`, p[2]!),
      one('PAN', `Firm's PAN is ${p[3]}.`, p[3]!),
      one('PAN', `{"pan":"${p[4]}"}`, p[4]!),
      one('PAN', `Trust PAN ${p[5]}, Body ${p[6]}`, p[5]!),
      one('PAN', `Local authority ${p[7]};`, p[7]!),
      one('PAN', `AJP ${p[8]}\nGovt ${p[9]}`, p[8]!),
    ].map((c, i) => (i === 5 ? { ...c, values: [['PAN', p[5]!], ['PAN', p[6]!]] as [Kind, string][] } : i === 7 ? { ...c, values: [['PAN', p[8]!], ['PAN', p[9]!]] as [Kind, string][] } : c)),
    negatives: [
      none('Holder type D is not valid: ABCDE1234F.'),
      none('Nine characters ABCPE123F.'),
      none('Five digits ABCPE12345.'),
      none(`Glued X${p[0]} in a serial.`),
      none(`Eleven ${p[1]}G characters.`),
      none('Digit in the name part AB1PE1234F.'),
      none('Model MZXQE7781K (Q is not a holder type).'),
      none('Spaced out ABC PE 1234 F on a form.'),
      none('Already [PAN_1] here.'),
    ],
  };
}

function gstins(): KindCorpus {
  const r = gen.rng(56);
  const states = ['27', '29', '07', '33', '09', '24', '19', '36', '97', '01'];
  const v = states.map((s, i) => gen.gstin(s, gen.pan(r, i % 2 ? 'C' : 'P'), i === 3 ? '2' : i === 5 ? 'A' : '1'));
  const wrongCheck = (s: string) => s.slice(0, 14) + (s[14] === '0' ? '1' : '0');
  const pan = gen.pan(r, 'P');
  return {
    positives: [
      one('GSTIN', `GSTIN: ${v[0]}`, v[0]!),
      one('GSTIN', `Supplier GSTIN ${v[1]} (Karnataka).`, v[1]!),
      one('GSTIN', `Bill to ${v[2]}, New Delhi`, v[2]!),
      one('GSTIN', `{"gstin":"${v[3]}"}`, v[3]!),
      one('GSTIN', `GST No. ${v[4]}.`, v[4]!),
      one('GSTIN', `Our GSTIN is ${v[5]} and PAN ${pan}.`, v[5]!),
      one('GSTIN', `| ${v[6]} | West Bengal |`, v[6]!),
      one('GSTIN', `Registered as ${v[7]}\n`, v[7]!),
      one('GSTIN', `Other territory ${v[8]}`, v[8]!),
      one('GSTIN', `J&K: ${v[9]}`, v[9]!),
    ].map((c, i) => (i === 5 ? { ...c, values: [['GSTIN', v[5]!], ['PAN', pan]] as [Kind, string][] } : c)),
    negatives: [
      none(`Wrong check ${wrongCheck(v[0]!)} on the bill.`),
      none(`Also wrong ${wrongCheck(v[1]!)}.`),
      none(`State 00: 00${v[2]!.slice(2, 14)}${gen.gstinCheckChar(`00${v[2]!.slice(2, 14)}`)}`),
      none(`State 45: 45${v[3]!.slice(2, 14)}${gen.gstinCheckChar(`45${v[3]!.slice(2, 14)}`)}`),
      none(`Fourteen ${v[4]!.slice(0, 14)} only.`),
      none(`Y not Z: ${v[5]!.slice(0, 13)}Y${v[5]![14]}`),
      none(`Entity 0: ${v[6]!.slice(0, 12)}0Z${gen.gstinCheckChar(`${v[6]!.slice(0, 12)}0Z`)}`),
      none(`Bad PAN inside: 27ABCDE1234F1Z${gen.gstinCheckChar('27ABCDE1234F1Z')}`),
      none(`Glued ${v[7]}X in a code.`),
    ],
  };
}

function ifscs(): KindCorpus {
  return {
    positives: [
      one('IFSC', 'IFSC: SBIN0001234', 'SBIN0001234'),
      one('IFSC', 'Branch HDFC0000123, Andheri.', 'HDFC0000123'),
      one('IFSC', 'NEFT to ICIC0006789 please', 'ICIC0006789'),
      one('IFSC', '{"ifsc":"UTIB0000456"}', 'UTIB0000456'),
      one('IFSC', 'Kotak branch (KKBK0000958)', 'KKBK0000958'),
      one('IFSC', 'PNB PUNB0244200;', 'PUNB0244200'),
      one('IFSC', 'Bank of Baroda BARB0VJAHME', 'BARB0VJAHME'),
      one('IFSC', 'IFSC Code - QWER0A12345 (a cooperative bank)', 'QWER0A12345'),
      one('IFSC', 'Yes Bank YESB0000001\n', 'YESB0000001'),
    ],
    negatives: [
      none('Fifth character must be 0: SBIN1001234.'),
      none('Ten characters SBIN000123.'),
      none('Twelve characters SBIN00012345.'),
      none('Product SKU ABCD0123456 is out of stock.'),
      none('Letter O for zero: HDFCO001234.'),
      none('Glued XSBIN0001234 in a serial.'),
      none('Hyphenated SBIN-0001234 in a note.'),
      none('Already [IFSC_1] here.'),
    ],
  };
}

function cards(): KindCorpus {
  const r = gen.rng(78);
  const visa = gen.card(r, '4', 16);
  const mc = gen.card(r, '53', 16);
  const mc2 = gen.card(r, '2221', 16);
  const amex = gen.card(r, '37', 15);
  const disc = gen.card(r, '6011', 16);
  const rupay = gen.card(r, '6521', 16);
  const rupay2 = gen.card(r, '6070', 16);
  const jcb = gen.card(r, '3530', 16);
  const diners = gen.card(r, '305', 14);
  const visa13 = gen.card(r, '4', 13);
  const unknown = gen.card(r, '9', 16);
  const g4 = (s: string, sep = ' ') => gen.grouped(s, 4, sep);
  const amexFmt = `${amex.slice(0, 4)} ${amex.slice(4, 10)} ${amex.slice(10)}`;
  const dinersFmt = `${diners.slice(0, 4)} ${diners.slice(4, 10)} ${diners.slice(10)}`;
  return {
    positives: [
      one('CARD', `Card ${g4(visa)} exp 12/27.`, g4(visa)),
      one('CARD', `MC ${g4(mc, '-')} declined`, g4(mc, '-')),
      one('CARD', `New series ${mc2}.`, mc2),
      one('CARD', `Amex ${amexFmt}, CVV withheld`, amexFmt),
      one('CARD', `Discover: ${disc}`, disc),
      one('CARD', `RuPay ${g4(rupay)} (debit)`, g4(rupay)),
      one('CARD', `{"pan":"${rupay2}"}`, rupay2),
      one('CARD', `JCB ${g4(jcb, '-')}`, g4(jcb, '-')),
      one('CARD', `Diners ${dinersFmt}.`, dinersFmt),
      one('CARD', `Old Visa ${visa13} still works`, visa13),
      one('CARD', 'Test card 4111 1111 1111 1111 in staging.', '4111 1111 1111 1111'),
    ],
    negatives: [
      none(`Luhn fails: ${g4(gen.wrongLast(visa))}.`),
      none(`Twelve digits ${visa.slice(0, 12)} only.`),
      none(`Twenty digits ${visa}${visa.slice(0, 4)} reference.`),
      none('ISBN-13 978-3-16-148410-0 in the bibliography.'),
      none(`Order ${g4(unknown)} passes Luhn, no issuer.`),
      none('Timestamp 20240612153045123 in the log.'),
      none(`Mixed separators ${g4(mc).replace(' ', '-')} in a note.`),
      none('Tracking 1Z999AA10123456784 with UPS.'),
      none(`Masked **** **** **** ${visa.slice(12)} on the receipt.`),
    ],
  };
}

function ibans(): KindCorpus {
  const r = gen.rng(90);
  const de = gen.iban('DE', gen.pick(r, gen.DIGITS, 18));
  const gb = gen.iban('GB', `WEST${gen.pick(r, gen.DIGITS, 14)}`);
  const ch = gen.iban('CH', gen.pick(r, gen.DIGITS, 17));
  const at = gen.iban('AT', gen.pick(r, gen.DIGITS, 16));
  const ie = gen.iban('IE', `AIBK${gen.pick(r, gen.DIGITS, 14)}`);
  const ae = gen.iban('AE', gen.pick(r, gen.DIGITS, 19));
  const sa = gen.iban('SA', gen.pick(r, gen.DIGITS, 20));
  const lu = gen.iban('LU', gen.pick(r, gen.DIGITS, 16));
  const g = (s: string) => gen.grouped(s, 4, ' ');
  const swapCheck = (s: string) => `${s.slice(0, 2)}${s[3]}${s[2]}${s.slice(4)}`;
  return {
    positives: [
      one('IBAN', 'IBAN DE89 3704 0044 0532 0130 00 (example).', 'DE89 3704 0044 0532 0130 00'),
      one('IBAN', `Pay into ${g(de)} by Friday.`, g(de)),
      one('IBAN', `UK: ${gb}`, gb),
      one('IBAN', `Swiss account ${g(ch)}, CHF`, g(ch)),
      one('IBAN', `{"iban":"${at}"}`, at),
      one('IBAN', `Irish IBAN ${g(ie)} EUR`, g(ie)),
      one('IBAN', `Dubai ${g(ae)}.`, g(ae)),
      one('IBAN', `Riyadh ${sa}\n`, sa),
      one('IBAN', `Lux ${g(lu)}; thanks`, g(lu)),
      one('IBAN', 'IBAN GB82 WEST 1234 5698 7654 32 GBP', 'GB82 WEST 1234 5698 7654 32'),
    ],
    negatives: [
      none(`Check digits swapped: ${g(swapCheck(de))}.`),
      none(`One short: ${de.slice(0, 21)} is wrong.`),
      none(`Unknown country XX${de.slice(2)} in the form.`),
      none(`Typo ${gb.slice(0, 10)}${gb[10] === '1' ? '2' : '1'}${gb.slice(11)} bounced.`),
      none('SWIFT code DEUTDEFF500 is a BIC, not an IBAN.'),
      none('Not a country: AB12 3456 7890 1234 5678 90.'),
      none(`Glued ${gb}X in a code.`),
      none('Already [IBAN_1] here.'),
    ],
  };
}

function privateKeys(): KindCorpus {
  const r = gen.rng(101);
  const pk = gen.pem(r);
  const rsa = gen.pem(r, 'RSA PRIVATE KEY', 8);
  const ec = gen.pem(r, 'EC PRIVATE KEY', 3);
  const ssh = gen.pem(r, 'OPENSSH PRIVATE KEY', 5);
  const enc = gen.pem(r, 'ENCRYPTED PRIVATE KEY', 6);
  const crlf = gen.pem(r, 'PRIVATE KEY', 4, '\r\n');
  const json = gen.pem(r, 'PRIVATE KEY', 4, '\\n');
  const dash = '-'.repeat(5);
  const pgpBody = Array.from({ length: 4 }, () => gen.pick(r, `${gen.ALNUM}+/`, 64)).join('\n');
  const pgp = `${dash}BEGIN PGP PRIVATE KEY BLOCK${dash}\nVersion: GnuPG v2\n\n${pgpBody}\n=a1B2\n${dash}END PGP PRIVATE KEY BLOCK${dash}`;
  const truncatedBody = Array.from({ length: 3 }, () => gen.pick(r, `${gen.ALNUM}+/`, 64)).join('\n');
  const truncated = `${dash}BEGIN PRIVATE KEY${dash}\n${truncatedBody}`;
  const rsaProc = `${dash}BEGIN RSA PRIVATE KEY${dash}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n${pgpBody}\n${dash}END RSA PRIVATE KEY${dash}`;
  const pub = gen.pem(r, 'PUBLIC KEY');
  const cert = gen.pem(r, 'CERTIFICATE', 10);
  const csr = gen.pem(r, 'CERTIFICATE REQUEST', 6);
  return {
    positives: [
      one('PRIVATE_KEY', `key.pem:\n${pk}\n`, pk),
      one('PRIVATE_KEY', `Old key ${rsa} rotated.`, rsa),
      one('PRIVATE_KEY', `EC:\n${ec}`, ec),
      one('PRIVATE_KEY', `~/.ssh/id_ed25519\n${ssh}`, ssh),
      one('PRIVATE_KEY', `${enc}\n(passphrase elsewhere)`, enc),
      one('PRIVATE_KEY', `Windows file:\r\n${crlf}\r\n`, crlf),
      // the whole JSON string is the private_key pair's value, so the span widens over its trailing "\n"
      one('PRIVATE_KEY', `{"type":"service_account","private_key":"${json}\\n","client_email":"x"}`, `${json}\\n`),
      one('PRIVATE_KEY', `gpg export:\n${pgp}`, pgp),
      one('PRIVATE_KEY', `Pasted, cut off:\n${truncated}`, truncated),
      one('PRIVATE_KEY', `legacy:\n${rsaProc}`, rsaProc),
    ],
    negatives: [
      none(`Public half:\n${pub}`),
      none(`Server certificate:\n${cert}`),
      none(`CSR:\n${csr}`),
      none(`The file starts with ${dash}BEGIN PRIVATE KEY${dash} and ends with ${dash}END PRIVATE KEY${dash} lines around the base64 body.`),
      none('Search the repository for BEGIN PRIVATE KEY markers.'),
      none(`${dash}BEGIN PRIVATE KEY${dash}\n<redacted>\n${dash}END PRIVATE KEY${dash}`),
      none(`${dash}BEGIN PRIVATE KEY${dash}\n...\n${dash}END PRIVATE KEY${dash}`),
      none(`A marker ${dash}BEGIN PRIVATE KEY${dash} followed by prose.`),
      none(`ssh-ed25519 ${gen.pick(r, gen.ALNUM, 68)} deploy@example`),
    ],
  };
}

function jwts(): KindCorpus {
  const r = gen.rng(202);
  const hs = gen.jwt(r);
  const rs = gen.jwt(r, { alg: 'RS256', kid: 'k1', typ: 'JWT' }, { sub: 'user-42', aud: 'packets', exp: 1767312000 });
  const es = gen.jwt(r, { alg: 'ES256' }, { iss: 'https://idp.example.com', sub: 'x' });
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsecured = `${b64({ alg: 'none' })}.${b64({ sub: 'anon' })}.`;
  const spaced = `${Buffer.from('{ "alg": "HS512" }').toString('base64url')}.${b64({ n: 1 })}.${gen.pick(r, gen.BASE64URL, 86)}`;
  const id = gen.jwt(r, { alg: 'RS256', typ: 'JWT' }, { email_verified: true, name: 'Test User', nonce: 'n-0S6_WzA2Mj' });
  const cookie = gen.jwt(r, { alg: 'HS256' }, { sid: 'abc' });
  const longer = gen.jwt(r, { alg: 'PS384', typ: 'at+jwt' }, { scope: 'read write', roles: ['admin', 'auditor'], tenant: 'org-1' });
  const noAlg = `${b64({ typ: 'JWT' })}.${b64({ sub: 'u' })}.${gen.pick(r, gen.BASE64URL, 43)}`;
  const arrayHeader = `${b64(['alg', 'HS256'])}.${b64({ sub: 'u' })}.${gen.pick(r, gen.BASE64URL, 43)}`;
  const numericAlg = `${b64({ alg: 5 })}.${b64({ sub: 'u' })}.${gen.pick(r, gen.BASE64URL, 43)}`;
  const signedNoSig = `${b64({ alg: 'HS256' })}.${b64({ sub: 'u' })}.`;
  return {
    positives: [
      one('JWT', `token ${hs} expired`, hs),
      one('JWT', `Authorization: Bearer ${rs}`, rs),
      one('JWT', `https://app.example.com/callback?token=${es}&state=xyz`, es),
      one('JWT', `unsecured: ${unsecured} (alg none)`, unsecured),
      one('JWT', `header with spaces ${spaced}.`, spaced),
      one('JWT', `{"id_token":"${id}","expires_in":3600}`, id),
      one('JWT', `Set-Cookie: session=${cookie}; Path=/; HttpOnly`, cookie),
      one('JWT', `access token:\n${longer}\n`, longer),
    ],
    negatives: [
      none(`Header without alg ${noAlg} in a test fixture.`),
      none(`Array header ${arrayHeader}.`),
      none(`Numeric alg ${numericAlg}.`),
      none(`HS256 with no signature ${signedNoSig} is not a token.`),
      none(`Two parts only ${hs.split('.').slice(0, 2).join('.')} here.`),
      none(`Not JSON eyJ${gen.pick(r, gen.ALNUM, 30)}.${gen.pick(r, gen.ALNUM, 30)}.${gen.pick(r, gen.ALNUM, 30)} at all.`),
      none('Dotted names like www.example.com and a.b.c are not tokens.'),
      none('Version eyJhbGciOi.1.2 in a changelog.'),
      none('Already [JWT_1] here.'),
    ],
  };
}

function awsKeys(): KindCorpus {
  const r = gen.rng(303);
  const ids = Array.from({ length: 8 }, (_, i) => gen.awsKeyId(r, i % 3 === 1 ? ['AS', 'IA'].join('') : undefined));
  const secret = gen.awsSecret(r);
  const secret2 = gen.awsSecret(r);
  const sha = gen.pick(r, '0123456789abcdef', 40);
  return {
    positives: [
      one('AWS_KEY', `AWS_ACCESS_KEY_ID=${ids[0]}`, ids[0]!),
      { text: `aws_access_key_id = ${ids[1]}\naws_secret_access_key = ${secret}\n`, values: [['AWS_KEY', ids[1]!], ['AWS_KEY', secret]] },
      one('AWS_KEY', `Leaked key ${ids[2]} in the build log.`, ids[2]!),
      { text: `{"AccessKeyId": "${ids[3]}", "SecretAccessKey": "${secret2}"}`, values: [['AWS_KEY', ids[3]!], ['AWS_KEY', secret2]] },
      one('AWS_KEY', `| ${ids[4]} | active |`, ids[4]!),
      one('AWS_KEY', `rotate ${ids[5]}, then`, ids[5]!),
      one('AWS_KEY', `key:${ids[6]}\n`, ids[6]!),
      one('AWS_KEY', `(${ids[7]})`, ids[7]!),
      // the 40-character git hash next to a key id has no upper case: not its secret
      one('AWS_KEY', `Key ${ids[5]} was built from commit ${sha}.`, ids[5]!),
    ],
    negatives: [
      none(`Fifteen after the prefix: ${ids[0]!.slice(0, 19)}.`),
      none(`Not base32: ${ids[1]!.slice(0, 10)}0189${ids[1]!.slice(14)}.`),
      none(`Lower case ${ids[2]!.toLowerCase()} is not a key id.`),
      none(`Placeholder ${['AK', 'IA'].join('')}XXXXXXXXXXXXXXXX in the docs.`),
      none(`Glued ${ids[3]}Z in a blob.`),
      none(`Other prefix ${'AKID'}${ids[4]!.slice(4)} here.`),
      none(`commit ${sha} deployed`),
      none(`A lone base64 string ${gen.awsSecret(r)} with no key id near it.`),
      none('Already [AWS_KEY_1] here.'),
    ],
  };
}

function tokens(): KindCorpus {
  const r = gen.rng(404);
  const ghp = gen.githubToken(r);
  const gho = gen.githubToken(r, 'o');
  const pat = `github_pat_${gen.pick(r, gen.ALNUM, 22)}_${gen.pick(r, gen.ALNUM, 59)}`;
  const xoxb = gen.slackToken(r);
  const xoxp = gen.slackToken(r, 'p');
  const hook = `T${gen.pick(r, `${gen.UPPER}0123456789`, 8)}/B${gen.pick(r, `${gen.UPPER}0123456789`, 10)}/${gen.pick(r, gen.ALNUM, 24)}`;
  const aiza = gen.googleApiKey(r);
  const stripe = gen.stripeKey(r);
  const ghs = gen.githubToken(r, 's');
  const gcp = `ya29.${gen.pick(r, gen.BASE64URL, 120)}`;
  return {
    positives: [
      one('TOKEN', `GITHUB_TOKEN ${ghp} in CI`, ghp),
      one('TOKEN', `oauth: ${gho}`, gho),
      one('TOKEN', `fine-grained ${pat}.`, pat),
      one('TOKEN', `slack bot ${xoxb} posts alerts`, xoxb),
      one('TOKEN', `user token (${xoxp})`, xoxp),
      one('TOKEN', `webhook https://hooks.slack.com/services/${hook}`, hook),
      one('TOKEN', `maps key ${aiza}&callback=init`, aiza),
      one('TOKEN', `stripe ${stripe}\n`, stripe),
      one('TOKEN', `app installation ${ghs};`, ghs),
      one('TOKEN', `gcloud auth print-access-token -> ${gcp}`, gcp),
    ],
    negatives: [
      none(`Thirty-five: ${ghp.slice(0, 39)} is cut.`),
      none(`Placeholder ghp_${'x'.repeat(36)} in the README.`),
      none('Slack prefix xoxb- alone in docs.'),
      none(`Short key ${aiza.slice(0, 38)} here.`),
      none(`Unknown type ghx_${ghp.slice(4)} here.`),
      none(`Short PAT github_pat_${gen.pick(r, gen.ALNUM, 22)} only.`),
      none('Keys start with AIza followed by 35 characters.'),
      none('Google access tokens start with ya29.a0 and expire in an hour.'),
      none(`Test mode ${'sk'}_${'test'}_ prefix alone.`),
      none('Already [TOKEN_1] here.'),
    ],
  };
}

function packetsTokens(): KindCorpus {
  const r = gen.rng(505);
  const t = ['pks_', 'pkk_', 'pki_', 'pkm_', 'pkj_', 'pks_', 'pkk_', 'pks_'].map((p) => gen.packetsToken(r, p));
  // the same 43 characters with a last one that 32 bytes cannot end in
  const nonCanonical = `${t[0]!.slice(0, -1)}${t[0]!.endsWith('B') ? 'C' : 'B'}`;
  return {
    positives: [
      one('PACKETS_TOKEN', `Authorization: Bearer ${t[0]}`, t[0]!),
      one('PACKETS_TOKEN', `CI uses API key ${t[1]} for evidence uploads.`, t[1]!),
      one('PACKETS_TOKEN', `https://app.example.com/invite?token=${t[2]}`, t[2]!),
      one('PACKETS_TOKEN', `{"challenge":"${t[3]}"}`, t[3]!),
      one('PACKETS_TOKEN', `join link ${t[4]}.`, t[4]!),
      one('PACKETS_TOKEN', `cookie packets_session=${t[5]}; Secure`, t[5]!),
      one('PACKETS_TOKEN', `PACKETS_API_KEY=${t[6]}\n`, t[6]!),
      one('PACKETS_TOKEN', `(${t[7]})`, t[7]!),
    ],
    negatives: [
      none(`Forty-two: ${t[0]!.slice(0, 46)} cut.`),
      none(`Forty-four: ${t[1]}A glued.`),
      none(`Not 32 bytes: ${nonCanonical} here.`),
      none(`Other prefix pkx_${t[2]!.slice(4)} here.`),
      none('Send pks_<token> in the Authorization header.'),
      none(`Placeholder pks_${'A'.repeat(43)} in docs.`),
      none(`Upper case PKS_${t[3]!.slice(4)} is not ours.`),
      none(`Glued xpks_${t[4]!.slice(4)} here.`),
      none('Already [PACKETS_TOKEN_1] here.'),
    ],
  };
}

function secrets(): KindCorpus {
  return {
    positives: [
      one('SECRET', 'login with password=hunter22 today', 'hunter22'),
      one('SECRET', 'DB_PASSWORD="s3cr3t!pass"', 's3cr3t!pass'),
      one('SECRET', 'db:\n  user: app\n  password: correcthorsebattery\n', 'correcthorsebattery'),
      one('SECRET', '{"client_secret": "q8Zx-21.Lm", "client_id": "web"}', 'q8Zx-21.Lm'),
      one('SECRET', 'GET /v1/items?api_key=abc123XYZ&page=2', 'abc123XYZ'),
      one('SECRET', 'x-api-key: 9f8e7d6c5b4a', '9f8e7d6c5b4a'),
      one('SECRET', 'Authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'),
      one('SECRET', `${'mysql'}://root:Tr0ub4dor@10.0.0.5/app`, 'Tr0ub4dor'),
      one('SECRET', "export SECRET_KEY_BASE='f00dfeed2024'", 'f00dfeed2024'),
      one('SECRET', 'passphrase: "blue elephant sings"', 'blue elephant sings'),
      one('SECRET', 'smtpPassword := "Mailer#42"', 'Mailer#42'),
      one('SECRET', 'Server=db;User ID=sa;Password=abc123;Encrypt=true', 'abc123'),
      one('SECRET', "headers: { authorization: 'Bearer s3ss10n-abc' }", 's3ss10n-abc'),
    ],
    negatives: [
      none('password: ******** (hidden)'),
      none('password= then press enter'),
      none('Reset your password: it must be long.'),
      none('password_policy: strict'),
      none('max_tokens=1024 and token_count: 15'),
      none('secret: <your-secret-here>'),
      none('api_key=${API_KEY} from the environment'),
      none('password: [SECRET_1]'),
      none('if (password == confirm) return;'),
      none('passwordless: enabled'),
      none('DB_PASSWORD_FILE=/run/secrets/db_password'),
      // code and addresses seen in a probe over this repository and third-party READMEs
      none('  signingKey: KeyObject;\n  exportTokenKey: Uint8Array;'),
      none('const token = randomToken(prefix);'),
      none('runRetention({ databaseUrl, signingKey: opts.signingKey, now: opts.now });'),
      none('Deliver to: 12 MG Road, Bengaluru, PIN: 560001'),
      none('const quiz = { passMark: 80, questions };'),
      none('setting `withCredentials: true` sends cookies'),
      none('POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}'),
    ],
  };
}

export function buildCorpus(): Record<Kind, KindCorpus> {
  return {
    PRIVATE_KEY: privateKeys(),
    JWT: jwts(),
    PACKETS_TOKEN: packetsTokens(),
    AWS_KEY: awsKeys(),
    TOKEN: tokens(),
    IBAN: ibans(),
    GSTIN: gstins(),
    CARD: cards(),
    AADHAAR: aadhaars(),
    SECRET: secrets(),
    UPI: upis(),
    EMAIL: emails(),
    IFSC: ifscs(),
    PAN: pans(),
    PHONE: phones(),
  };
}

export interface Score {
  kind: Kind;
  positives: number;
  negatives: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** what went wrong, for the test's failure message (values are made up) */
  misses: string[];
}

/**
 * Scores a redact function over the corpus. A value counts as found when a finding of
 * its kind covers exactly its span; every other finding is a false positive of its kind.
 */
export function score(
  redactFn: (text: string) => { findings: { kind: Kind; start: number; end: number }[] },
  corpus: Record<Kind, KindCorpus> = buildCorpus(),
): Score[] {
  const kinds = Object.keys(corpus) as Kind[];
  const scores = new Map<Kind, Score>(kinds.map((k) => [k, { kind: k, positives: corpus[k].positives.length, negatives: corpus[k].negatives.length, tp: 0, fp: 0, fn: 0, precision: 1, recall: 1, misses: [] }]));
  for (const k of kinds) {
    for (const c of [...corpus[k].positives, ...corpus[k].negatives]) {
      const found = redactFn(c.text).findings;
      const expected = c.values.map(([kind, value]) => ({ kind, start: c.text.indexOf(value), end: c.text.indexOf(value) + value.length, value }));
      for (const e of expected) {
        const s = scores.get(e.kind)!;
        if (found.some((f) => f.kind === e.kind && f.start === e.start && f.end === e.end)) s.tp++;
        else {
          s.fn++;
          s.misses.push(`missed ${e.kind} ${JSON.stringify(e.value)} in ${JSON.stringify(c.text)}`);
        }
      }
      for (const f of found) {
        if (expected.some((e) => e.kind === f.kind && e.start === f.start && e.end === f.end)) continue;
        const s = scores.get(f.kind)!;
        s.fp++;
        s.misses.push(`false ${f.kind} ${JSON.stringify(c.text.slice(f.start, f.end))} in ${JSON.stringify(c.text)}`);
      }
    }
  }
  return [...scores.values()].map((s) => ({ ...s, precision: s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp), recall: s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn) }));
}

export function formatScores(scores: Score[]): string {
  const rows = scores.map((s) => `| ${s.kind.padEnd(13)} | ${String(s.positives).padStart(3)} | ${String(s.negatives).padStart(3)} | ${String(s.tp).padStart(3)} | ${String(s.fp).padStart(2)} | ${String(s.fn).padStart(2)} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} |`);
  return ['| kind          | pos | neg |  tp | fp | fn | precision | recall |', '|---------------|-----|-----|-----|----|----|-----------|--------|', ...rows].join('\n');
}
