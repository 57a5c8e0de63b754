// Outgoing mail (invitations). Through SMTP_URL when set; otherwise each message
// is written as a .eml file into the outbox folder (development: .packets/outbox),
// and a line says where.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';

export interface Mail { to: string; subject: string; text: string }

export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly opts: { smtpUrl: string | null; from: string; outboxDir: string }) {
    this.transport = opts.smtpUrl
      ? nodemailer.createTransport(opts.smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(mail: Mail): Promise<void> {
    const info = (await this.transport.sendMail({ from: this.opts.from, ...mail })) as { message?: Buffer };
    if (!this.opts.smtpUrl && info.message) {
      mkdirSync(this.opts.outboxDir, { recursive: true });
      const file = join(this.opts.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`);
      writeFileSync(file, info.message, { mode: 0o600 });
      console.log(`mail to ${mail.to} written to ${file} (no SMTP_URL set)`);
    }
  }

  close(): void {
    this.transport.close();
  }
}
