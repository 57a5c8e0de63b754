// The six modules of the trust page, seeded into every organisation as version 1. The
// bodies and quizzes are our own words: practical guidance, not a copy of any standard.
import type { QuizQuestion, TrainingModule } from './training.model';

const OPTION_IDS = ['a', 'b', 'c', 'd'] as const;

/** A single-choice question; `correct` is the index of the right option. */
function q(id: string, prompt: string, options: readonly string[], correct: number, explanation: string): QuizQuestion {
  return {
    id,
    prompt,
    options: options.map((text, i) => ({ id: OPTION_IDS[i] ?? String(i), text, correct: i === correct })),
    explanation,
  };
}

type Seed = Omit<TrainingModule, 'version' | 'publishedAt' | 'reassignOnPublish'>;

const PASS_MARK = 80;

const ACCESS_CONTROL: Seed = {
  key: 'access-control',
  title: 'Access Control & Authentication',
  passMark: PASS_MARK,
  body: `# Access Control & Authentication

Every account is a door into our systems and our customers' data. This module covers how
we keep those doors few, narrow and locked.

## Least privilege
- Ask for the access your work needs today, not what might be handy one day. When a task
  ends, give the extra access back.
- Use an administrator role only for administration. Day-to-day work happens in an
  ordinary account.
- Access is reviewed every quarter. If you are asked whether someone still needs a
  permission and you do not know, say so: "keep" is a decision you sign.

## Passwords
- Use a password manager and let it generate a long, unique password for every service.
  A password reused on two sites is only as safe as the weaker site.
- Never share a password, not with a colleague, not with IT, not "just this once". Ask for
  your own account or a delegated permission instead.
- If you suspect a password has leaked, change it at once and tell the security team.

## Multi-factor authentication (MFA)
- Turn on MFA everywhere it is offered, and always on email, source code hosting, cloud
  consoles and Packets itself.
- Prefer an authenticator app or a hardware key over text messages.
- Approve a sign-in prompt only when you started that sign-in yourself. An unexpected
  prompt means someone has your password: deny it and report it.
- Keep your recovery codes somewhere safe and offline.

## Sessions, devices and keys
- Lock your screen whenever you step away, and sign out of shared machines.
- API keys and tokens are passwords for programs: give each one the narrowest role, an
  expiry date, and revoke it when it is no longer used.
- When someone leaves or changes teams, their access must change the same day. Managers
  start that request; do not wait for the next review.`,
  questions: [
    q('least-privilege', 'A colleague asks you to grant them admin rights "in case they need it later". What do you do?', [
      'Grant it; it saves time later',
      'Grant only the access their current task needs, and only when they need it',
      'Share your own admin account with them',
    ], 1, 'Least privilege: access matches the work in hand, not possible future needs.'),
    q('password-reuse', 'Why should every service have its own password?', [
      'A leak at one service then cannot unlock the others',
      'Long passwords are easier to remember when they are different',
      'Password managers only work with unique passwords',
    ], 0, 'Reused passwords turn one breach into many; unique ones contain the damage.'),
    q('mfa-prompt', 'Your phone shows an MFA approval request you did not start. What is the right response?', [
      'Approve it so it stops appearing',
      'Ignore it and carry on',
      'Deny it, change your password and report it to security',
      'Approve it, then change your password',
    ], 2, 'An unexpected prompt means someone else has your password and is trying to sign in.'),
    q('mfa-kind', 'Which second factor is the strongest of these?', [
      'A code sent by text message',
      'A hardware security key',
      'A security question about your first pet',
    ], 1, 'Hardware keys resist phishing and SIM swaps; text codes and questions do not.'),
    q('share-password', 'IT support calls and asks for your password to fix your account. What do you do?', [
      'Give it; they are IT',
      'Give it, then change it afterwards',
      'Refuse; nobody legitimate needs your password, and report the call',
    ], 2, 'Real administrators can act without your password; a request for it is a warning sign.'),
    q('api-key', 'What should a new API key for an integration have?', [
      'The Owner role so it never fails',
      'The narrowest role that works and an expiry date',
      'No expiry so the integration never breaks',
    ], 1, 'Keys are credentials: least privilege and an expiry limit the harm of a leaked key.'),
  ],
};

const DATA_HANDLING: Seed = {
  key: 'data-handling',
  title: 'Data Handling & Privacy',
  passMark: PASS_MARK,
  body: `# Data Handling & Privacy

Customers trust us with information about their people and their business. Privacy laws
such as India's Digital Personal Data Protection Act 2023 (DPDP) and the EU's GDPR turn
that trust into legal duties. You do not need to be a lawyer; you need a few habits.

## Know what you are holding
- **Personal data** is anything that identifies a person directly or indirectly: a name,
  an email address, a phone number, an IP address, an employee id.
- **Customer data** is everything our customers put into the product. Treat all of it as
  confidential unless the customer published it themselves.
- Classify before you share: public, internal, confidential, restricted.

## Collect and keep only what is needed
- Use personal data only for the purpose it was collected for. A new purpose needs a new
  check with the privacy lead, and under DPDP often fresh consent.
- Do not copy production data into test systems, spreadsheets or personal tools. Use
  synthetic or masked data instead.
- Delete what is no longer needed, following the retention schedule.

## Share carefully
- Send data only to people and vendors who need it and are approved to receive it. New
  vendors (subprocessors) go through review before any data reaches them.
- Use the approved, encrypted channels. Never email restricted data as a plain
  attachment or paste it into a public AI tool or chat.
- Double-check the recipient before you press send; a misdirected email is one of the
  most common breaches.

## People's rights
- People may ask to see, correct or erase their data, or withdraw consent. Forward any
  such request to the privacy team the same day: the law gives us limited time to answer.

## When something goes wrong
- Lost a laptop, sent a file to the wrong person, found data where it should not be?
  Report it immediately. Breach notification clocks can be as short as a few hours, and
  they start when the organisation becomes aware, not when someone finds time to tell us.`,
  questions: [
    q('personal-data', 'Which of these is personal data?', [
      'An aggregated count of sign-ups per month',
      'A customer contact\'s work email address',
      'The company\'s published office address',
    ], 1, 'An email address identifies a person, even a work one.'),
    q('test-data', 'A bug only shows with real records. How do you reproduce it?', [
      'Copy the production table to your laptop',
      'Use masked or synthetic data that has the same shape',
      'Email the records to yourself to look at them at home',
    ], 1, 'Production personal data stays in production; masked data reproduces the shape safely.'),
    q('new-purpose', 'Marketing wants to use support tickets to target adverts. What must happen first?', [
      'Nothing, the data is already ours',
      'A privacy review of the new purpose, and consent where the law needs it',
      'Remove the names and go ahead',
    ], 1, 'Data collected for one purpose cannot simply be reused for another.'),
    q('rights-request', 'A customer\'s employee asks you to delete their data. What do you do?', [
      'Delete it yourself straight away',
      'Tell them it is not possible',
      'Forward the request to the privacy team the same day',
    ], 2, 'Rights requests have legal deadlines and need checks; the privacy team handles them.'),
    q('misdirected', 'You emailed a customer export to the wrong address. What now?', [
      'Report it to security immediately',
      'Ask the recipient to delete it and say nothing else',
      'Wait to see whether anyone complains',
    ], 0, 'A misdirected email can be a personal data breach; notification clocks may already be running.'),
    q('ai-tool', 'May you paste customer records into a public AI chatbot to summarise them?', [
      'Yes, if you delete the chat afterwards',
      'No, only into tools approved for that data',
      'Yes, if the records are older than a year',
    ], 1, 'Public tools are unapproved recipients; the data leaves our control.'),
  ],
};

const PHISHING: Seed = {
  key: 'phishing',
  title: 'Phishing & Social Engineering',
  passMark: PASS_MARK,
  body: `# Phishing & Social Engineering

Most attacks do not start by breaking encryption. They start by persuading a person to
click, sign in, pay or share. Attackers study our website, our job posts and our social
profiles to make their stories convincing.

## Recognise the pressure
Social engineering works by pushing you to act before you think. Watch for:
- **Urgency**: "your account closes in one hour", "the CEO needs this before the board".
- **Authority**: a message claiming to come from a senior person, a bank, or IT.
- **Secrecy**: "do not tell anyone yet", "keep this between us".
- **Unusual requests**: a change of bank details, gift cards, a password, an MFA code.

## Check the details
- Look at the sender's real address, not the display name. Look for small misspellings
  of our domain or a supplier's.
- Hover over links before clicking and read where they go. When in doubt, type the
  address yourself or use your bookmark.
- Do not open unexpected attachments, especially archives, macros or "invoices" you were
  not expecting.
- A sign-in page reached from an email deserves extra suspicion. Your password manager
  will not fill in a password on a look-alike site: treat that as an alarm.

## Verify through another channel
If a request involves money, credentials, data or access, confirm it using contact
details you already know: call the person on the number in the directory, or message
them on our chat. Never use the phone number or link given in the suspicious message.

## Phone, chat and in person
The same tricks arrive by phone ("this is IT, read me the code we just sent you"), by chat
and at the door. Nobody legitimate needs your password or your MFA codes.

## Report, even if you clicked
Report suspicious messages with the report button or to the security team. If you already
clicked, entered a password or opened a file, say so at once: minutes matter, and nobody
is punished for an honest report.`,
  questions: [
    q('urgency', 'An email from "the CEO" asks you to buy gift cards urgently and keep it quiet. What is this most likely?', [
      'A normal request from a busy executive',
      'A social engineering attempt using urgency, authority and secrecy',
      'A marketing campaign',
    ], 1, 'Urgency, authority and secrecy together are the classic pattern of a scam.'),
    q('bank-details', 'A supplier emails new bank details for their next invoice. What do you do?', [
      'Update the details and pay',
      'Reply to the email to confirm',
      'Call the supplier on the number you already have to confirm',
    ], 2, 'Verify through a channel you already trust, never one offered by the message.'),
    q('link', 'How can you check where a link in an email really goes?', [
      'Hover over it and read the address before clicking',
      'Click it and look at the page',
      'Trust it if the email has the company logo',
    ], 0, 'The displayed text can say anything; the underlying address is what counts.'),
    q('password-manager', 'Your password manager will not fill in your password on a sign-in page you reached from an email. What does that suggest?', [
      'The password manager is broken',
      'The page may be a look-alike site; stop and check the address',
      'You should type the password by hand',
    ], 1, 'Password managers match the real domain; a refusal often means a fake site.'),
    q('clicked', 'You clicked a link and entered your password before realising it was fake. What now?', [
      'Say nothing; it is embarrassing',
      'Change your password later this week',
      'Report it to security straight away and change the password',
    ], 2, 'Fast reporting lets the team cut off the attacker; honest reports are never punished.'),
    q('phone-code', 'A caller says they are from IT and asks you to read out the code just sent to your phone. What do you do?', [
      'Read it out; IT needs it to help you',
      'Refuse, hang up and report the call',
      'Read out only half of it',
    ], 1, 'An MFA code is a key to your account; nobody legitimate ever asks for it.'),
  ],
};

const SECURE_DEVELOPMENT: Seed = {
  key: 'secure-development',
  title: 'Secure Development',
  passMark: PASS_MARK,
  body: `# Secure Development

Everyone who writes, reviews or deploys code decides how safe the product is. The OWASP
Top 10 lists the weaknesses attackers exploit most; this module turns it into habits.

## Never trust input
- Everything from outside the process is input: request bodies, headers, file uploads,
  webhooks, data from other services. Validate type, length and format at the edge.
- Use parameterised queries or the ORM; never build SQL, shell commands or HTML by
  joining strings with user input.
- Encode output for where it goes (HTML, URLs, CSV cells) to prevent injection.

## Check access on every request
- Broken access control is the most common serious flaw. Authorise in the service for
  every operation and every record, including reads and exports.
- Scope every query to the caller's organisation. A missing filter is a data leak to
  another customer.
- Answer "not found" the same way whether a record does not exist or belongs to someone
  else.

## Secrets
- Secrets never go in source code, commits, tickets, logs or chat. Use the secret store
  and configuration, and generate development keys locally.
- If a secret is committed, rotate it; deleting the commit is not enough, because the
  history and every clone still hold it.

## Dependencies and configuration
- Add libraries deliberately: prefer well-maintained ones, pin versions, and act on
  vulnerability alerts.
- Ship secure defaults: debug output, introspection and verbose errors off in
  production; no default passwords.

## Review and test
- Every change is reviewed by someone else. Reviewers look at authorisation, input
  handling and what gets logged, not just whether it works.
- Write tests for the refusal paths: the other organisation's id, the malformed input,
  the expired token.
- Log security-relevant events, but never passwords, tokens or unnecessary personal data.

When you find a weakness, in our code or a dependency, report it to the security team
rather than fixing it quietly: others may be affected.`,
  questions: [
    q('sql', 'How should a query use a value typed by a user?', [
      'Join it into the SQL string after removing quotes',
      'Pass it as a bound parameter (or through the ORM)',
      'Only allow it if it is shorter than 50 characters',
    ], 1, 'Parameters keep data apart from the query, which stops SQL injection.'),
    q('access', 'Where should a check that a user may read a record happen?', [
      'Only in the user interface, by hiding the button',
      'In the service, for every request and record',
      'Once at sign-in',
    ], 1, 'The interface can be bypassed; the server must authorise every operation.'),
    q('secret-committed', 'You committed an API secret and pushed it. What is the fix?', [
      'Delete the file in the next commit',
      'Rewrite the history and carry on',
      'Rotate the secret, then remove it from the code and report it',
    ], 2, 'Once pushed, the secret must be treated as leaked: only rotation makes it useless.'),
    q('not-found', 'A user asks for a record that belongs to another organisation. What should the API answer?', [
      'The same "not found" it gives for a record that does not exist',
      '"Forbidden: this belongs to another organisation"',
      'The record, since the id was correct',
    ], 0, 'A different answer would tell an attacker which ids exist elsewhere.'),
    q('logging', 'Which of these should never be written to logs?', [
      'The request id',
      'The outcome of an authorisation check',
      'A user\'s password or session token',
    ], 2, 'Logs are widely read and kept long; credentials in them are leaked credentials.'),
    q('review', 'What should a reviewer look at beyond "does it work"?', [
      'Authorisation, input validation and what is logged',
      'Only code formatting',
      'Only the test coverage number',
    ], 0, 'Security flaws usually work perfectly; a reviewer has to look for them.'),
  ],
};

const INCIDENT_RESPONSE: Seed = {
  key: 'incident-response',
  title: 'Incident Response',
  passMark: PASS_MARK,
  body: `# Incident Response

A security incident is anything that threatens the confidentiality, integrity or
availability of our systems or data: a compromised account, malware, a lost device, data
sent to the wrong place, an outage caused by an attack. Your part is to notice, report
quickly, and help without making things worse.

## Recognise the signs
- Alerts or messages you do not understand about your accounts or devices.
- Unexpected MFA prompts, password reset emails, or sign-ins from places you have not been.
- Files that changed, disappeared or were encrypted; a machine that suddenly behaves
  strangely.
- Data where it should not be: in a public bucket, a public channel, a search result.
- A customer or researcher telling us about a problem.

## Report at once
- Report to the security team through the incident channel or the on-call number, even
  if you are not sure. A false alarm costs minutes; a late report can cost far more.
- The law sets short clocks. In India, CERT-In expects a report within 6 hours of
  noticing certain incidents; DPDP and GDPR require breach notices within 72 hours of
  becoming aware. Those clocks start when anyone in the company knows.
- Say what you saw, when, on which system, and what you have already done.

## Preserve, do not investigate alone
- Do not switch off, wipe or "clean" an affected machine unless the security team asks:
  you may destroy the evidence needed to understand what happened. Disconnecting it from
  the network is usually safe.
- Do not contact the attacker, pay anything, or discuss the incident outside the
  response team. Customers and authorities are informed by the people assigned to do it.
- Write down times and actions as you go; the timeline matters later.

## After the incident
Every incident ends with a review of what happened and what will change. The goal is to
fix causes, not to blame people. Reporting your own mistake quickly is exactly what we
want.`,
  questions: [
    q('what-is', 'Which of these is a security incident to report?', [
      'A laptop with customer data left on a train',
      'A colleague working from a café on the VPN',
      'A scheduled maintenance window announced last week',
    ], 0, 'A lost device holding customer data threatens its confidentiality.'),
    q('unsure', 'You are not sure whether something you saw is an incident. What do you do?', [
      'Wait until you are sure',
      'Report it now and let the security team judge',
      'Investigate it yourself first',
    ], 1, 'Early reports are cheap; the legal clocks start when the company becomes aware.'),
    q('cert-in', 'Within how many hours of noticing does CERT-In expect a report of a reportable incident?', [
      '6 hours',
      '72 hours',
      '30 days',
    ], 0, 'CERT-In\'s 2022 directions set 6 hours from noticing the incident.'),
    q('machine', 'Your laptop shows signs of malware. What is the safest first step?', [
      'Wipe and reinstall it immediately',
      'Disconnect it from the network and report it, without wiping it',
      'Keep working and run a scan at the end of the day',
    ], 1, 'Isolating stops the spread; keeping the machine intact preserves evidence.'),
    q('outside', 'A journalist asks you about a rumoured breach. What do you do?', [
      'Tell them what you know',
      'Deny everything',
      'Say nothing and pass the request to the response team',
    ], 2, 'Communication about an incident goes through the people assigned to it.'),
    q('timeline', 'Why write down times and actions while responding?', [
      'The timeline is needed for notifications and the review afterwards',
      'It is required only for incidents involving money',
      'To decide who is to blame',
    ], 0, 'Notices and post-incident reviews depend on an accurate record of what happened when.'),
  ],
};

const BUSINESS_CONTINUITY: Seed = {
  key: 'business-continuity',
  title: 'Business Continuity',
  passMark: PASS_MARK,
  body: `# Business Continuity

Customers rely on Packets being available and on their data surviving whatever happens
to a server, a region or an office. Business continuity is how we keep our promises
through failures, and how we recover when they happen.

## Backups
- Production data is backed up automatically, encrypted, and kept in a separate location
  from the systems it protects.
- A backup that has never been restored is a hope, not a backup. Restores are tested on
  a schedule, and the results are recorded as evidence.
- Backups hold customer data: they get the same access controls and retention rules as
  the live systems.

## Recovery objectives
- The **recovery time objective (RTO)** is how long a service may be down before it must be
  back. The **recovery point objective (RPO)** is how much recent data we could lose.
  Know the figures for the systems you work on.
- Design changes with these in mind: a new database, queue or vendor needs a backup and
  recovery plan before it goes live.

## Disaster recovery
- The disaster recovery plan says who decides, who does what, and in which order services
  come back. It is kept where you can reach it when our usual tools are down.
- Keep contact details of your team and the on-call rota available offline.
- Exercises are part of the job: take part, and report what did not work.

## Availability commitments
- Our commitments to customers (uptime, support response, incident notice) are contract
  terms. An outage that risks them is escalated like a security incident.
- Avoid single points of failure, including people: document what you do and make sure
  someone else can do it.

## Your part day to day
- Store work in the approved, backed-up systems, not only on your laptop.
- Follow change procedures for production; most outages start with a change.
- If you see a risk to availability (a full disk, an expiring certificate, a single
  engineer who holds the only key), raise it before it becomes an outage.`,
  questions: [
    q('tested', 'When can you rely on a backup?', [
      'As soon as the backup job reports success',
      'When restoring from it has been tested',
      'When it is stored on the same server for speed',
    ], 1, 'Only a tested restore shows the backup is complete and usable.'),
    q('rpo', 'What does the recovery point objective (RPO) describe?', [
      'How long a service may be down',
      'How much recent data could be lost in a failure',
      'How many backups are kept',
    ], 1, 'RPO is about data loss; RTO is about downtime.'),
    q('location', 'Where should backups be kept?', [
      'On the same disk as the database',
      'In a separate location, encrypted, with controlled access',
      'On an engineer\'s laptop',
    ], 1, 'Separation protects backups from the failure or attack that hits the primary system.'),
    q('new-system', 'A team adds a new datastore to production. What must exist before it goes live?', [
      'A backup and recovery plan for it',
      'A dashboard',
      'Nothing; backups can be added later',
    ], 0, 'Data without a recovery plan is data we may not be able to bring back.'),
    q('plan-access', 'Why keep the disaster recovery plan and contacts available offline?', [
      'The usual tools may be down when the plan is needed',
      'It is cheaper',
      'Offline copies never need updating',
    ], 0, 'A plan stored only in the system that failed cannot be read during the failure.'),
    q('own-work', 'Where should you keep work documents?', [
      'Only on your laptop\'s desktop',
      'In the approved, backed-up company systems',
      'In a personal cloud account',
    ], 1, 'Approved systems are backed up and access-controlled; a laptop is neither.'),
  ],
};

const SEEDS: readonly Seed[] = [ACCESS_CONTROL, DATA_HANDLING, PHISHING, SECURE_DEVELOPMENT, INCIDENT_RESPONSE, BUSINESS_CONTINUITY];

/** The keys of the seeded modules, in the trust page's order. */
export const SEED_MODULE_KEYS = SEEDS.map((s) => s.key);

/** The six modules as version 1 for a new organisation, published at `now`. */
export function seedModules(now: Date): TrainingModule[] {
  return SEEDS.map((s) => ({ ...s, version: 1, publishedAt: now, reassignOnPublish: false }));
}
