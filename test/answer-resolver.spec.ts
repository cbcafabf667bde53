// The answer resolver alone, without yeoman: which source wins, where each value came from, what a
// preset locks and offers, and what a retrofit must state.
import assert from 'node:assert/strict';
import { AnswerResolver, type ResolverSources } from '../generators/shared/answer-resolver.ts';
import { ANSWER_SPECS, type Answers } from '../generators/shared/answers.ts';
import type { DetectedProject } from '../generators/shared/detect.ts';
import type { LoadedPreset } from '../generators/shared/preset.ts';

const FOLDER = '/work/orders-api';
const preset = (fields: Partial<LoadedPreset>): LoadedPreset => ({ name: 'acme', file: '/p/acme.yaml', source: './acme.yaml', ...fields });

function resolve(sources: Partial<ResolverSources>) {
  const resolver = new AnswerResolver({ options: {}, stored: {}, detection: { kind: 'none' }, retrofit: false, folder: FOLDER, ...sources });
  const answers: Partial<Answers> = {};
  const next = resolver.resolveKnown(answers);
  return { resolver, answers, next };
}

describe('the answer resolver', () => {
  it('takes the command line over .yo-rc.json over the defaults, and says where each came from', () => {
    const { answers, next, resolver } = resolve({ options: { defaults: true, port: '9090' }, stored: { port: 7000, language: 'go' } });
    assert.equal(next, undefined);
    assert.equal(answers.appName, 'orders-api');
    assert.equal(answers.port, 9090);
    assert.equal(answers.language, 'go');
    assert.equal(answers.runtimeVersion, '1.27');
    assert.deepEqual(
      { appName: resolver.origins.appName, port: resolver.origins.port, language: resolver.origins.language },
      { appName: 'default', port: '--port', language: '.yo-rc.json' },
    );
  });

  it('stops at the first answer that needs a prompt, with what came before it', () => {
    const { answers, next } = resolve({ options: { 'app-name': 'orders' } });
    assert.equal(next?.name, 'language');
    assert.deepEqual(answers, { appName: 'orders' });
  });

  it("keeps a preset's locked answer, refuses another on the command line, and records an override", () => {
    const locked = preset({ locked: { 'image-family': 'distroless' } });
    assert.equal(resolve({ options: { defaults: true }, preset: locked }).resolver.origins.imageFamily, 'locked by the preset acme');
    assert.throws(
      () => resolve({ options: { defaults: true, 'image-family': 'alpine' }, preset: locked }),
      /--image-family is locked to distroless by the preset acme \(\/p\/acme\.yaml\)/,
    );
    const { answers, resolver } = resolve({ options: { defaults: true, 'image-family': 'alpine', 'override-lock': true }, preset: locked });
    assert.equal(answers.imageFamily, 'alpine');
    assert.deepEqual(resolver.lockOverrides, ['image-family']);
  });

  it('defaults to the first value a preset offers, and refuses one it does not offer', () => {
    const offering = preset({ languages: ['java', 'go'], imageRepositoryPrefix: 'registry.acme.example/team' });
    const { answers } = resolve({ options: { defaults: true }, preset: offering });
    assert.equal(answers.language, 'java');
    assert.equal(answers.imageRepository, 'registry.acme.example/team/orders-api');
    assert.throws(
      () => resolve({ options: { defaults: true, language: 'node' }, preset: offering }),
      /The preset acme offers java, go; not node\. .*Fix: pass --language java/,
    );
  });

  it('a retrofit with --defaults: takes what the repository states, and stops on what it does not', () => {
    const project = {
      language: 'node',
      buildTool: { value: 'npm', from: 'package-lock.json' },
      runtimeVersion: { value: '22', from: '.nvmrc', offered: '22' },
      port: { value: '3000', from: 'src/server.ts' },
      start: { value: 'node dist/server.js', from: 'package.json "start"' },
    } as DetectedProject;
    const { answers, resolver } = resolve({ options: { defaults: true }, detection: { kind: 'found', project }, retrofit: true });
    assert.deepEqual([answers.language, answers.runtimeVersion, answers.port, answers.startCommand], ['node', '22', 3000, 'node dist/server.js']);
    assert.equal(resolver.origins.port, 'src/server.ts');
    const { port: _port, ...withoutPort } = project;
    assert.throws(
      () => resolve({ options: { defaults: true }, detection: { kind: 'found', project: withoutPort as DetectedProject }, retrofit: true }),
      /The existing project in \/work\/orders-api does not state its http port\. Fix: pass --port <value>\./,
    );
  });

  describe('a runtime older than the repository needs', () => {
    const python = (stated: string, offered: string) =>
      ({
        language: 'python',
        buildTool: { value: 'pip', from: 'requirements.txt' },
        runtimeVersion: { value: stated, from: 'pyproject.toml', offered },
        port: { value: '8000', from: 'app/main.py' },
        start: { value: 'uvicorn app.main:app', from: 'Procfile' },
      }) as DetectedProject;
    const retrofit = (project: DetectedProject, options: Record<string, unknown>) =>
      resolve({ options: { defaults: true, ...options }, detection: { kind: 'found', project }, retrofit: true });

    it('on the command line: stops, naming what the repository needs and where it says so', () => {
      assert.throws(
        () => retrofit(python('3.14', '3.14'), { 'runtime-version': '3.13' }),
        /The runtime version 3\.13 \(--runtime-version\) does not fit the repository: Python 3\.13 is older than the 3\.14 the repository needs \(pyproject\.toml\)\. Nothing was written\. Fix: pass --runtime-version 3\.14\./,
      );
      assert.equal(retrofit(python('3.13.2', '3.13'), { 'runtime-version': '3.14' }).answers.runtimeVersion, '3.14');
    });

    it('newer than any offered: stops with --defaults rather than building on an older one', () => {
      assert.throws(
        () => retrofit(python('3.15', '3.14'), {}),
        /The runtime version 3\.14 \(pyproject\.toml\) does not fit the repository: Python 3\.14 is older than the 3\.15 the repository needs \(pyproject\.toml\)\. Nothing was written\. Fix: k8s-app offers no Python that new \(3\.13, 3\.14\); if the code runs on an older one, lower what pyproject\.toml states\./,
      );
    });

    it('in a prompt: offers only the versions that fit, and stops when none does', () => {
      const { resolver } = resolve({ detection: { kind: 'found', project: python('3.14', '3.14') }, retrofit: true });
      const spec = ANSWER_SPECS.find((candidate) => candidate.name === 'runtimeVersion')!;
      assert.deepEqual(
        resolver.choices(spec, { language: 'python' })?.map((choice) => choice.value),
        ['3.14'],
      );
      const none = resolve({ detection: { kind: 'found', project: python('3.15', '3.14') }, retrofit: true }).resolver;
      assert.throws(() => none.choices(spec, { language: 'python' }), /\(every choice\) does not fit the repository: Python 3\.13 is older than the 3\.15/);
    });
  });

  it('names an option given where it does not apply', () => {
    const { resolver, answers } = resolve({ options: { defaults: true, 'health-module': 'yes' } });
    assert.throws(() => resolver.assertGivenOptionsApply(answers), /--health-module does not apply here: it is used only in an existing repository/);
  });
});
