import { render } from "preact";
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { App } from "./components/App";
import { start } from "./state/effects";

start();
render(<App />, document.getElementById("app") as HTMLElement);
