// Page "Anchor vs rotation" (src/anchor-rotation.md): see data-loaders/site/pages/anchor-rotation.ts.
import {writeArrowLoader} from "../../data-loaders/site/arrow.ts";
import {anchorRotationSubmissions} from "../../data-loaders/site/pages/anchor-rotation.ts";

await writeArrowLoader(anchorRotationSubmissions);
