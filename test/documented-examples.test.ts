import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { discoverApis } from '../src/core/contract/discover.ts';
import { loadContract } from '../src/core/contract/load.ts';
import { packageRoot, projectPaths } from '../src/core/paths.ts';
import { validators } from '../src/core/validate/cache.ts';

interface DocumentedExample {
  operationId: string;
  kind: 'request' | 'response';
  status?: string;
  mediaType: string;
  source: string;
  value: unknown;
}

// Every API that ships a fixture of the vendor's own examples is checked against its contract.
const apisWithFixtures = discoverApis(projectPaths()).filter((api) =>
  fs.existsSync(path.join(packageRoot, 'test/fixtures', api.name, 'documented-examples.yaml')),
);

describe.each(apisWithFixtures)('documented examples of $name', (api) => {
  const fixture = path.join(packageRoot, 'test/fixtures', api.name, 'documented-examples.yaml');
  const examples = YAML.parse(fs.readFileSync(fixture, 'utf8')) as DocumentedExample[];

  it('has examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((e, i) => [`${i + 1}: ${e.operationId} ${e.kind} ${e.status ?? ''}`.trim(), e] as const))(
    '%s validates against the contract',
    async (_label, example) => {
      const contract = await loadContract(api);
      const op = contract.operations.find((o) => o.id === example.operationId);
      expect(op, `operation ${example.operationId} exists`).toBeDefined();
      const content =
        example.kind === 'request'
          ? op!.requestBody?.content
          : op!.responses.find((r) => r.status === example.status)?.content;
      const media = content?.find((c) => c.mediaType === example.mediaType);
      expect(media?.schemaPointer, `${example.kind} ${example.status ?? ''} ${example.mediaType} is declared`).toBeDefined();
      const violations = validators.validate(contract, media!.schemaPointer!, example.value);
      expect(violations, `source: ${example.source}`).toEqual([]);
    },
  );
});
