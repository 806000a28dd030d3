// Types of ./library.js for tslab: the built library's (completions and type checks in cells).
import * as built from "../dist";
// Without dist/ the import above is `any`: cells still compile, so library.js can say "run npm run build".
type Library = 0 extends 1 & typeof built ? { readonly [name: string]: any } : typeof built;
declare const library: Library;
export = library;
