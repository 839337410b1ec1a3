// Starts govuk-frontend's components (error summary focus, password reveal, navigation menu). Loaded as a
// module from our own origin: the Content-Security-Policy allows no inline script.
import { initAll } from "./govuk-frontend.min.js";

initAll();
