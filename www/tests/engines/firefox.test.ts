/** The end-to-end runs in Firefox (ESR), over geckodriver. */
import { engineSuite } from "./suite.ts";

engineSuite("firefox");
