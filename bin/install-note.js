// Said once by `npm ci` / `npm install` (package.json's postinstall): which Node.js runs foidesk. npm's
// own warnings about the engines of packages are turned off in .npmrc (loglevel=error), so this is the
// only line about it; errors still show. Plain JavaScript, so any Node.js that can run npm can run it.
const npmNode = /\bnode\/v(\d+)\.\S*/.exec(process.env.npm_config_user_agent ?? "");
if (npmNode && Number(npmNode[1]) < 22) {
  console.log(
    `foidesk runs on Node.js ${process.versions.node}, installed into node_modules/.bin by npm (the "node" package); ` +
      `this machine's Node.js ${npmNode[0].slice(5)} only runs npm. The npm scripts use the newer one.`,
  );
}
