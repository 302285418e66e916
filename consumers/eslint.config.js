import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["**/node_modules", "**/dist", "**/.next"] },
  js.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ["**/*.cjs", "jest-30/**/*.js", "node-cjs/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node, ...globals.jest } },
  },
  {
    files: ["next-16/**/*.js"],
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
  },
];
