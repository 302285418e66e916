/** The end-to-end runs in WebKit, the engine of Safari: WebKitGTK's MiniBrowser over WebKitWebDriver. */
import { engineSuite } from "./suite.ts";

engineSuite("webkit");
