import { registerSubjects } from '@packets/authz';

registerSubjects('ai', {
  AiSettings: ['enabled', 'consentedAt', 'consentedBy', 'withdrawnAt', 'provider'],
});
