import { registerSubjects } from '@packets/authz';

registerSubjects('compliance', {
  Control: ['id', 'title', 'description', 'status', 'ownerId', 'implementationNotes'],
});
