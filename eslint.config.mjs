// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", "dist/", "scratch/"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    {
        // Shipped code never loads the AGPL policy simulator (a devDependency for tests only).
        files: ["index.ts", "components/**/*.ts", "program/**/*.ts", "automation/**/*.ts", "cli/**/*.ts", "offline/**/*.ts", "project/**/*.ts", "testing/**/*.ts", "plugin/**/*.ts", "compliance/**/*.ts", "policypack/**/*.ts", "verify/**/*.ts", "adopt/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                { patterns: [{ group: ["@cloud-copilot/*"], message: "Test-only (AGPL): never import it from shipped code." }] },
            ],
        },
    },
);
