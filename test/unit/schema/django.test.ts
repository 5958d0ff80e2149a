import assert from 'node:assert/strict';
import { appLabel, isDjangoModelsPath, schemaFromDjangoModels } from '../../../src/core/schema/django';

// Shapes from healthchecks' hc/api/models.py and hc/accounts/models.py, written anew.
const API = `
from django.db import models

class BaseThing(models.Model):
    created = models.DateTimeField(default=now)

    class Meta:
        abstract = True

class Check(models.Model):
    name = models.CharField(max_length=100, blank=True)
    code = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    project = models.ForeignKey(Project, models.CASCADE)
    status = models.CharField(max_length=6, choices=STATUSES, default="new")
    alert_after = models.DateTimeField(null=True, blank=True, editable=False)
    manual_resume = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Index for the alert_after field. Exclude rows with status=down.
            models.Index(fields=["alert_after"], name="api_check_aa_not_down", condition=~models.Q(status="down")),
            models.Index(fields=["project", "-alert_after"], name="api_check_project_aa"),
        ]

class TokenBucket(models.Model):
    value = models.CharField(max_length=80, unique=True)
    tokens = models.FloatField(default=1.0)
    updated = models.DateTimeField(default=now)

    @staticmethod
    def authorize(value: str) -> bool:
        obj = TokenBucket.objects.get(value=value)

class Flip(models.Model):
    owner = models.ForeignKey(Check, models.CASCADE)
    processed = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "flips"
        unique_together = (("owner", "processed"),)
`;

describe('Django models schema', () => {
  it('knows models modules and their app label', () => {
    assert.equal(isDjangoModelsPath('hc/api/models.py'), true);
    assert.equal(isDjangoModelsPath('shop/models/order.py'), true);
    assert.equal(isDjangoModelsPath('hc/api/views.py'), false);
    assert.equal(appLabel('hc/api/models.py'), 'api');
    assert.equal(appLabel('shop/models/order.py'), 'shop');
  });

  it('builds the tables, columns and the indexes Django adds by itself', () => {
    const schema = schemaFromDjangoModels([{ path: 'hc/api/models.py', text: API }]);
    assert.deepEqual(schema.tables.map((t) => t.name), ['api_check', 'api_tokenbucket', 'flips']);
    const check = schema.tables[0]!;
    assert.deepEqual(check.columns.map((c) => c.name), ['name', 'code', 'project_id', 'status', 'alert_after', 'manual_resume', 'id']);
    assert.equal(check.columns.find((c) => c.name === 'status')?.enumLike, true, 'choices make a state column');
    assert.equal(check.columns.find((c) => c.name === 'manual_resume')?.type, 'boolean');
    const keys = (t: typeof check) => t.indexes.map((i) => i.keys.map((k) => (k.kind === 'column' ? `${k.column}${k.descending ? ' desc' : ''}` : k.text)).join(','));
    // The partial Meta index is kept whole (its condition is not read); the ForeignKey maps to project_id.
    assert.deepEqual(keys(check), ['code', 'project_id', 'id', 'alert_after', 'project_id,alert_after desc']);
    assert.deepEqual(keys(schema.tables[1]!), ['value', 'id']);
    assert.deepEqual(keys(schema.tables[2]!), ['owner_id', 'processed', 'id', 'owner_id,processed']);
  });
});
