/** esbuild.mjs loads .css files as text; the bundle applies them as constructed stylesheets. */
declare module '*.css' {
  const text: string;
  export default text;
}
