// Detection of existing repositories (retrofit): language, build tool, and where the repo
// states its runtime version, start command and port, each with the file it came from.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { type DetectedProject, detectProject, findMarker, nearestOffered } from '../generators/shared/detect.ts';
import { findStack } from '../stacks/registry.ts';
import { writeRepo } from './support/temp-repo.ts';

function repo(files: Record<string, string>): string {
  return writeRepo(files, 'detect-');
}

function detected(files: Record<string, string>): DetectedProject {
  const root = repo(files);
  try {
    const result = detectProject(root);
    assert.equal(result.kind, 'found', JSON.stringify(result));
    return (result as { project: DetectedProject }).project;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('detecting an existing repository', () => {
  const cases: {
    name: string;
    files: Record<string, string>;
    expect: Partial<Record<'language' | 'buildTool' | 'version' | 'offered' | 'start' | 'port', string>>;
  }[] = [
    {
      name: 'Node.js with npm, engines and a start script',
      files: {
        'package.json': '{"name":"api","engines":{"node":">=24"},"scripts":{"build":"tsc","start":"node dist/index.js"}}',
        'package-lock.json': '{}',
        'src/index.ts': 'const port = Number(process.env.PORT ?? 3000);\n',
      },
      expect: { language: 'node', buildTool: 'npm', version: '24', offered: '24', start: 'node dist/index.js', port: '3000' },
    },
    {
      name: 'Node.js with pnpm and .nvmrc',
      files: { 'package.json': '{"main":"server.js"}', 'pnpm-lock.yaml': '', '.nvmrc': 'v22.11.0\n', 'server.js': 'app.listen(4000);\n' },
      expect: { language: 'node', buildTool: 'pnpm', version: '22', offered: '22', start: 'node server.js', port: '4000' },
    },
    {
      name: 'Node.js with yarn',
      files: { 'package.json': '{"scripts":{"start":"node index.js"}}', 'yarn.lock': '' },
      expect: { language: 'node', buildTool: 'yarn', start: 'node index.js' },
    },
    {
      name: 'Python with pip and requirements.txt',
      files: { 'requirements.txt': 'flask==3.1.0\n', '.python-version': '3.13.1\n', Procfile: 'web: gunicorn app:app\n', 'app.py': 'app.run(port=5000)\n' },
      expect: { language: 'python', buildTool: 'pip', version: '3.13', offered: '3.13', start: 'gunicorn app:app', port: '5000' },
    },
    {
      name: 'Python with a comment line in .python-version',
      files: { 'requirements.txt': 'fastapi==0.165.0\n', '.python-version': '# pinned for the image\n\n3.14\n', 'main.py': 'app = None\n' },
      expect: { language: 'python', version: '3.14', offered: '3.14' },
    },
    {
      name: 'Node.js with a comment line in .nvmrc',
      files: { 'package.json': '{"main":"server.js"}', 'package-lock.json': '{}', '.nvmrc': '# the LTS the team runs\n24\n' },
      expect: { language: 'node', version: '24', offered: '24' },
    },
    {
      name: 'Python started by its own __main__ block',
      files: {
        'requirements.txt': 'fastapi\n',
        'main.py': 'import uvicorn\n\nif __name__ == "__main__":\n    uvicorn.run("main:app", host="0.0.0.0", port=8000)\n',
      },
      expect: { language: 'python', start: 'python main.py', port: '8000' },
    },
    {
      name: "Python started as its Dockerfile's CMD says (the image's own init left out)",
      files: {
        'requirements.txt': 'flask\n',
        Dockerfile: 'FROM python:3.13\nENTRYPOINT ["tini", "--"]\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]\n',
      },
      expect: { language: 'python', start: 'gunicorn --bind 0.0.0.0:8000 app:app' },
    },
    {
      name: "Node.js started as its Dockerfile's CMD says (shell form)",
      files: { 'package.json': '{"name":"api"}', 'package-lock.json': '{}', Dockerfile: 'FROM node:24\nCMD node dist/index.js\n' },
      expect: { language: 'node', start: 'node dist/index.js' },
    },
    {
      name: 'Python with Poetry',
      files: { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.12"\n', 'poetry.lock': '' },
      expect: { language: 'python', buildTool: 'poetry', version: '3.12', offered: '3.13' },
    },
    {
      name: 'Python with uv',
      files: { 'pyproject.toml': '[project]\nname = "svc"\nrequires-python = ">=3.14"\n\n[project.scripts]\nsvc = "svc.main:run"\n', 'uv.lock': '' },
      expect: { language: 'python', buildTool: 'uv', version: '3.14', offered: '3.14', start: 'python -c "from svc.main import run; run()"' },
    },
    {
      name: 'Go with a go directive',
      files: { 'go.mod': 'module example.com/orders\n\ngo 1.26.2\n', 'main.go': 'addr := ":" + env("PORT", "9090")\nhttp.ListenAndServe(":9090", nil)\n' },
      expect: { language: 'go', buildTool: 'go', version: '1.26', offered: '1.26', start: 'example.com/orders', port: '9090' },
    },
    {
      name: 'Java with Maven',
      files: {
        'pom.xml': '<project><properties><java.version>21</java.version></properties></project>',
        'src/main/resources/application.properties': 'server.port=8081\n',
      },
      expect: { language: 'java', buildTool: 'maven', version: '21', offered: '21', port: '8081' },
    },
    {
      name: 'Java with Gradle (Kotlin DSL)',
      files: { 'build.gradle.kts': 'java { toolchain { languageVersion = JavaLanguageVersion.of(25) } }\napplication { mainClass.set("com.acme.App") }\n' },
      expect: { language: 'java', buildTool: 'gradle', version: '25', offered: '25', start: 'com.acme.App' },
    },
    {
      name: 'Rust with rust-version',
      files: { 'Cargo.toml': '[package]\nname = "edge"\nversion = "0.1.0"\nrust-version = "1.85"\n', 'src/main.rs': 'let addr = "0.0.0.0:7000";\n' },
      expect: { language: 'rust', buildTool: 'cargo', version: '1.85', offered: '1.99', start: 'edge', port: '7000' },
    },
    {
      name: 'an existing Dockerfile, whose EXPOSE wins',
      files: { 'go.mod': 'module m\n\ngo 1.27\n', Dockerfile: 'FROM scratch\nEXPOSE 8443\n', 'main.go': 'http.ListenAndServe(":9090", nil)\n' },
      expect: { language: 'go', port: '8443' },
    },
  ];

  for (const { name, files, expect } of cases) {
    it(name, () => {
      const project = detected(files);
      if (expect.language) assert.equal(project.language, expect.language);
      if (expect.buildTool) assert.equal(project.buildTool.value, expect.buildTool);
      if (expect.version) assert.equal(project.runtimeVersion?.value, expect.version);
      if (expect.offered) assert.equal(project.runtimeVersion?.offered, expect.offered);
      if (expect.start) assert.equal(project.start?.value, expect.start);
      if (expect.port) assert.equal(project.port?.value, expect.port);
      for (const finding of [project.buildTool, project.runtimeVersion, project.start, project.port]) {
        // A file of the repository (with what in it, after a comma), or a framework's default, named as such.
        if (finding)
          assert.ok(
            finding.from.split(',')[0]! in files || / default\b/.test(finding.from),
            `${finding.value} is said to come from ${finding.from}, which the repo does not have`,
          );
      }
    });
  }

  it("Rust: the port of a bind tuple, and the static files actix-files, tower-http and std's fs read by relative path", () => {
    const project = detected({
      'Cargo.toml': '[package]\nname = "shop"\n',
      'src/main.rs':
        'HttpServer::new(|| App::new().service(Files::new("/images", "static/images/")))\n    .bind(("0.0.0.0", 8088))?;\nlet page = std::fs::read_to_string("./pages/home.html");\nlet assets = ServeDir::new("assets");\nlet cfg = fs::read("/etc/shop.toml");\n',
      'static/images/a.png': '',
      'pages/home.html': '',
      'assets/app.js': '',
    });
    assert.deepEqual(project.port, { value: '8088', from: 'src/main.rs' });
    assert.deepEqual(
      project.runtimeFiles.map((read) => `${read.path}@${read.file}:${read.line}`),
      ['static@src/main.rs:1', 'assets@src/main.rs:4', 'pages@src/main.rs:3'],
    );
  });

  it('reports each server bound to loopback only, with its file and line', () => {
    const cases: [Record<string, string>, string][] = [
      [{ 'go.mod': 'module m\n\ngo 1.27\n', 'main.go': 'package main\n\nfunc main() {\n\thttp.ListenAndServe("127.0.0.1:8080", nil)\n}\n' }, 'main.go:4'],
      [{ 'package.json': '{"main":"server.js"}', 'server.js': 'const app = express();\napp.listen(3000, "localhost");\n' }, 'server.js:2'],
      [{ 'package.json': '{"main":"server.js"}', 'server.js': "await app.listen({\n  port: 3000,\n  host: '127.0.0.1',\n});\n" }, 'server.js:1'],
      [{ 'requirements.txt': 'fastapi\n', 'main.py': 'import uvicorn\nuvicorn.run(app, host="127.0.0.1", port=8000)\n' }, 'main.py:2'],
      [{ 'requirements.txt': 'gunicorn\n', 'gunicorn.conf.py': 'bind = "127.0.0.1:8000"\n' }, 'gunicorn.conf.py:1'],
      [
        { 'pom.xml': '<project/>', 'src/main/resources/application.properties': 'server.port=8080\nserver.address=127.0.0.1\n' },
        'src/main/resources/application.properties:2',
      ],
      [
        { 'Cargo.toml': '[package]\nname = "edge"\n', 'src/main.rs': 'fn main() {\n    let addr = SocketAddr::from(([127, 0, 0, 1], 3000));\n}\n' },
        'src/main.rs:2',
      ],
      [{ 'Cargo.toml': '[package]\nname = "edge"\n', 'src/main.rs': 'HttpServer::new(app)\n    .bind(("127.0.0.1", 8080))?\n' }, 'src/main.rs:2'],
    ];
    for (const [files, where] of cases) {
      const binds = detected(files).loopbackBinds.map((bind) => `${bind.file}:${bind.line}`);
      assert.deepEqual(binds, [where], `${Object.keys(files).join(', ')}: ${binds.join(', ')}`);
    }
    // All interfaces, and a database on localhost, are not the server's bind.
    const fine = detected({
      'package.json': '{"main":"server.js"}',
      'server.js': "app.listen(3000, '0.0.0.0');\nconst db = new Pool({ host: 'localhost', port: 5432 });\n",
    });
    assert.deepEqual(fine.loopbackBinds, []);
  });

  it('lists the variables .env files name, never their values, credentials apart, PORT left out', () => {
    const project = detected({
      'requirements.txt': 'flask\n',
      '.env.example': '# copy to .env\nDATABASE_URL=postgres://u:p@db/app\nLOG_LEVEL=info\nexport FEATURE_FLAGS=a,b\nPORT=8000\n',
      '.env': 'LOG_LEVEL=debug\nSTRIPE_API_KEY=sk_live_x\n',
    });
    assert.deepEqual(project.envVariables, [
      { name: 'DATABASE_URL', file: '.env.example', secret: true },
      { name: 'LOG_LEVEL', file: '.env.example', secret: false },
      { name: 'FEATURE_FLAGS', file: '.env.example', secret: false },
      { name: 'STRIPE_API_KEY', file: '.env', secret: true },
    ]);
    assert.ok(!JSON.stringify(project).includes('sk_live_x'), 'a value was read');
  });

  it('lists the variables the code reads without a default, per language, and none it reads with one', () => {
    const cases: [Record<string, string>, string[]][] = [
      [
        { 'go.mod': 'module m\n', 'main.go': 'dsn := os.Getenv("DATABASE_URL")\n_, ok := os.LookupEnv("FEATURE_X")\nport := os.Getenv("PORT")\n' },
        ['DATABASE_URL', 'FEATURE_X'],
      ],
      [
        {
          'package.json': '{}',
          'app.js': "const key = process.env.API_KEY;\nconst level = process.env.LOG_LEVEL ?? 'info';\nconst url = process.env['REDIS_URL'];\n",
        },
        ['API_KEY', 'REDIS_URL'],
      ],
      [
        {
          'requirements.txt': '',
          'app.py': 'import os\nDB = os.environ["DB_PASSWORD"]\nLEVEL = os.getenv("LOG_LEVEL", "info")\nREGION = os.getenv("REGION")\n',
        },
        ['DB_PASSWORD', 'REGION'],
      ],
      [
        {
          'pom.xml': '<project/>',
          'src/main/resources/application.properties': 'spring.datasource.url=${JDBC_URL}\nspring.datasource.username=${DB_USER:app}\n',
        },
        ['JDBC_URL'],
      ],
      [
        {
          'Cargo.toml': '[package]\nname = "x"\n',
          'src/main.rs': 'let token = env::var("GITHUB_TOKEN")?;\nlet level = env::var("LOG_LEVEL").unwrap_or("info".into());\n',
        },
        ['GITHUB_TOKEN'],
      ],
    ];
    for (const [files, names] of cases) {
      assert.deepEqual(
        detected(files).envVariables.map((variable) => variable.name),
        names,
        Object.keys(files).join(', '),
      );
    }
    assert.deepEqual(detected(cases[2]![0]).envVariables[0], { name: 'DB_PASSWORD', file: 'app.py', secret: true });
  });

  it('a start script that runs a devDependency: node on what it would run, said where it came from', () => {
    const node = (scripts: Record<string, string>, devDependencies: Record<string, string>, extra: Record<string, string> = {}) =>
      detected({ 'package.json': JSON.stringify({ main: 'index.js', scripts, devDependencies }), 'package-lock.json': '{}', ...extra }).start;
    assert.deepEqual(
      node(
        { start: 'ts-node src/index.ts', build: 'tsc' },
        { 'ts-node': '10.9.2', typescript: '6.0.3' },
        { 'tsconfig.json': '{"compilerOptions":{"outDir":"./build"}}' },
      ),
      {
        value: 'node build/index.js',
        from: "package.json, ts-node is a devDependency, pruned from the image: node runs the build's output, build/index.js",
      },
    );
    assert.equal(
      node({ start: 'tsx src/server.mts', build: 'tsc' }, { tsx: '4.0.0' }, { 'tsconfig.json': '{"compilerOptions":{"rootDir":"src","outDir":"dist"}}' })
        ?.value,
      'node dist/server.mjs',
    );
    assert.equal(node({ start: 'nodemon server.js' }, { nodemon: '3.1.0' })?.value, 'node server.js');
    // A runner it cannot see through (a monorepo tool): the next fact, "main".
    assert.deepEqual(node({ start: 'turbo run start --filter api' }, { turbo: '2.0.0' }, { 'index.js': '' }), { value: 'node index.js', from: 'package.json' });
    // A command whose package npm's lock marks dev-only (Nest's `nest`): the production script instead.
    const nest = {
      'package-lock.json': JSON.stringify({ packages: { 'node_modules/@nestjs/cli': { dev: true, bin: { nest: 'bin/nest.js' } } } }),
    };
    assert.deepEqual(node({ start: 'nest start', 'start:prod': 'node dist/main', build: 'nest build' }, { '@nestjs/cli': '11.0.0' }, nest), {
      value: 'node dist/main',
      from: 'package.json, its production start script (start:prod)',
    });
    assert.equal(
      node({ start: 'nest start' }, {}, { 'package-lock.json': JSON.stringify({ packages: { 'node_modules/@nestjs/cli': { bin: { nest: 'bin/nest.js' } } } }) })
        ?.value,
      'nest start',
    );
    // "main" names a file that does not exist and nothing builds it: the dev script's entry point instead.
    assert.deepEqual(node({ dev: 'nodemon -L src/index.js', test: 'jest' }, { nodemon: '2.0.20' }), {
      value: 'node src/index.js',
      from: 'package.json, its dev script: nodemon is a devDependency, pruned from the image: node runs src/index.js',
    });
    assert.equal(node({ build: 'tsc' }, {})?.value, 'node index.js');
    assert.equal(node({}, {}, { 'index.js': '' })?.value, 'node index.js');
    // A script that runs another through the package manager: the one it runs.
    assert.deepEqual(node({ start: 'npm run serve', serve: 'node dist/server.js', build: 'tsc' }, {}), {
      value: 'node dist/server.js',
      from: 'package.json, npm run serve runs node dist/server.js',
    });
    assert.equal(node({ start: 'yarn dev', dev: 'nodemon src/app.js' }, { nodemon: '3.1.0' })?.value, 'node src/app.js');
    // Braces and escaped quotes in the scripts before it (TypeScript-Node-Starter's lint and watch scripts).
    assert.equal(
      node({ lint: 'eslint "**/*.{js,ts}"', watch: 'concurrently -p "[{name}]"', start: 'npm run serve', serve: 'node dist/server.js' }, {})?.value,
      'node dist/server.js',
    );
    // The tool is a dependency: the image keeps it, and the script is taken as it is.
    assert.equal(
      detected({ 'package.json': JSON.stringify({ scripts: { start: 'ts-node src/index.ts' }, dependencies: { 'ts-node': '10.9.2' } }) }).start?.value,
      'ts-node src/index.ts',
    );
  });

  it('finds the folders the code writes into, each once, with the line that says so', () => {
    const cases: [Record<string, string>, string[]][] = [
      [
        {
          'requirements.txt': 'flask\n',
          'app.py':
            'app = Flask(__name__, instance_relative_config=True)\nUPLOAD_FOLDER = "./uploads/"\nh = logging.FileHandler("logs/app.log")\nos.makedirs("tmp")\nr = RotatingFileHandler("audit/a.log")\nos.mkdir("cache")\n',
        },
        ['instance@app.py:1', 'uploads@app.py:2', 'logs@app.py:3', 'audit@app.py:5', 'cache@app.py:6'],
      ],
      [
        { 'package.json': '{}', 'server.js': "const upload = multer({ dest: 'uploads/' });\nfs.mkdirSync('./data', { recursive: true });\n" },
        ['uploads@server.js:1', 'data@server.js:2'],
      ],
      [
        { 'pom.xml': '<project/>', 'src/main/resources/application.properties': 'logging.file.name=logs/app.log\n' },
        ['logs@src/main/resources/application.properties:1'],
      ],
    ];
    for (const [files, expected] of cases) {
      assert.deepEqual(
        detected(files).writableDirs.map((written) => `${written.dir}@${written.file}:${written.line}`),
        expected,
      );
    }
  });

  it("takes the framework's default port when the repository names none, and says so", () => {
    assert.deepEqual(detected({ 'pom.xml': '<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent></project>' }).port, {
      value: '8080',
      from: "Spring Boot's default server.port",
    });
    assert.deepEqual(detected({ 'requirements.txt': 'fastapi\n', Procfile: 'web: fastapi run app/main.py\n' }).port, {
      value: '8000',
      from: "fastapi's default port",
    });
    assert.deepEqual(detected({ 'requirements.txt': 'django\n', Procfile: 'web: python manage.py runserver 0.0.0.0\n' }).port, {
      value: '8000',
      from: "Django's runserver default port",
    });
    // The repository's own word wins.
    assert.equal(detected({ 'requirements.txt': 'gunicorn\n', Procfile: 'web: gunicorn app:app\n', 'app.py': 'port = 5050\n' }).port?.value, '5050');
    assert.equal(detected({ 'pom.xml': '<project/>' }).port, undefined);
  });

  it('finds nothing in an empty directory', () => {
    const root = repo({});
    assert.deepEqual(detectProject(root), { kind: 'none' });
    rmSync(root, { recursive: true, force: true });
  });

  it('names every candidate when two languages are present', () => {
    const root = repo({ 'package.json': '{}', 'pom.xml': '<project/>' });
    assert.deepEqual(detectProject(root), {
      kind: 'ambiguous',
      candidates: [
        { value: 'node', from: 'package.json' },
        { value: 'java', from: 'pom.xml' },
      ],
    });
    rmSync(root, { recursive: true, force: true });
  });

  it('does not read ports from dependencies, build output or tests', () => {
    const project = detected({
      'package.json': '{}',
      'node_modules/x/index.js': 'app.listen(1234)\n',
      'dist/a.js': 'app.listen(2345)\n',
      'e2e/src/support/setup.ts': 'const port = process.env.PORT ?? 3456;\n',
      'test/app.test.js': 'app.listen(4567)\n',
      'spec/persistence/sqlite.spec.js': "const location = '/etc/todos/todo.db'; // sqlite\n",
      'src/server.test.ts': 'app.listen(5678)\n',
    });
    assert.equal(project.port, undefined);
    assert.deepEqual(project.localDatabases, []);
  });

  it('maps a stated version to the nearest offered one', () => {
    const go = findStack('go')!;
    assert.equal(nearestOffered(go, '1.27'), '1.27');
    assert.equal(nearestOffered(go, '1.20'), '1.26');
    assert.equal(nearestOffered(go, '1.30'), '1.27');
    assert.equal(nearestOffered(findStack('node')!, '23'), '24');
  });

  it('reads a marker as a file name or a pattern (a .NET project file is named after its project)', () => {
    const dir = repo({ 'Orders.Api.csproj': '<Project />', 'Program.cs': '', 'sub/Other.csproj': '' });
    assert.equal(findMarker(dir, '*.csproj'), 'Orders.Api.csproj');
    assert.equal(findMarker(dir, 'Program.cs'), 'Program.cs');
    assert.equal(findMarker(dir, '*.fsproj'), undefined);
    assert.equal(findMarker(dir, 'sub'), undefined, 'a folder is no marker');
    rmSync(dir, { recursive: true, force: true });
  });
});
