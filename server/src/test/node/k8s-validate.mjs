// Validates rendered Kubernetes manifests (kubectl kustomize output on standard input) against the Kubernetes
// OpenAPI schemas with the npm kubernetes-models package: each document's apiVersion and kind select the model,
// whose validate() applies the schema (types, required fields, enums). A kind it has no model for fails.
// Prints one JSON line: the kinds and names checked.
import { parseAllDocuments } from 'yaml';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const checked = [];
for (const document of parseAllDocuments(input)) {
  if (document.errors.length) throw new Error('YAML: ' + document.errors.map((e) => e.message).join('; '));
  const object = document.toJS();
  if (!object) continue;
  const { apiVersion, kind } = object;
  let model;
  try {
    model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch (e) {
    throw new Error(`no schema for ${apiVersion} ${kind}`);
  }
  new model(object).validate();   // throws with the schema path of the first violation
  checked.push(`${kind}/${object.metadata.name}`);
}
console.log(JSON.stringify({ checked }));
