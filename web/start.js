// Starts the page's wasm module (kept out of index.html: the Content-Security-Policy allows no inline script).
import init from './app.js';

init({ module_or_path: './app_bg.wasm' }).catch((error) => {
  const screen = document.getElementById('fatal');
  document.getElementById('fatal-message').textContent = `The app could not start: ${error}`;
  screen.hidden = false;
});
