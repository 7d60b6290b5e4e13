//! Every call into the browser's APIs: the solver's worker, local storage, the URL fragment,
//! downloads, reading dropped or chosen files, and the screen shown after a panic.

use gloo_storage::Storage as _;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::protocol::{Job, READY, Reply};

/// The script that starts the worker (written by trunk beside `worker.js`).
pub const WORKER_SCRIPT: &str = "./worker_loader.js";

const STORED_SCENARIO: &str = "kplan.scenario";
const STORED_SOURCE: &str = "kplan.source";

/// The solver's web worker. Dropping it terminates the worker, which is how a job is cancelled:
/// a solve is one long computation that no message could interrupt. A job posted before the
/// worker says it is ready is held and sent then.
pub struct WorkerHost {
    worker: Worker,
    ready: Rc<Cell<bool>>,
    held: Rc<RefCell<Option<String>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl WorkerHost {
    /// Starts a worker; its replies and its failures go to the callbacks.
    pub fn spawn(on_reply: Callback<Reply>, on_failure: Callback<String>) -> Result<Self, String> {
        let worker =
            Worker::new(WORKER_SCRIPT).map_err(|e| format!("cannot start the solver: {e:?}"))?;
        let failure = on_failure.clone();
        let ready = Rc::new(Cell::new(false));
        let held: Rc<RefCell<Option<String>>> = Rc::new(RefCell::new(None));
        let (ready_in, held_in, worker_in) = (ready.clone(), held.clone(), worker.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let text = e.data().as_string();
            if text.as_deref() == Some(READY) {
                ready_in.set(true);
                if let Some(job) = held_in.borrow_mut().take() {
                    let _ = worker_in.post_message(&JsValue::from_str(&job));
                }
                return;
            }
            match text.map(|t| Reply::from_text(&t)) {
                Some(Ok(reply)) => on_reply.emit(reply),
                Some(Err(m)) => failure.emit(m),
                None => failure.emit("the solver sent something that is not text".to_string()),
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            on_failure.emit(e.message());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(WorkerHost { worker, ready, held, _on_message: on_message, _on_error: on_error })
    }

    /// Sends a job, or holds it until the worker is ready (a later job replaces a held one).
    pub fn post(&self, job: &Job) {
        if self.ready.get() {
            let _ = self.worker.post_message(&JsValue::from_str(&job.to_text()));
        } else {
            *self.held.borrow_mut() = Some(job.to_text());
        }
    }
}

impl Drop for WorkerHost {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// The URL fragment, without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Replaces the URL fragment without adding a history entry.
pub fn set_fragment(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// The scenario text and its source name saved by [`save`], if any.
pub fn stored() -> Option<(String, String)> {
    let text: String = gloo_storage::LocalStorage::get(STORED_SCENARIO).ok()?;
    let source: String =
        gloo_storage::LocalStorage::get(STORED_SOURCE).unwrap_or_else(|_| "saved".to_string());
    Some((text, source))
}

/// Saves the scenario text in local storage.
pub fn save(text: &str, source: &str) {
    let _ = gloo_storage::LocalStorage::set(STORED_SCENARIO, text);
    let _ = gloo_storage::LocalStorage::set(STORED_SOURCE, source);
}

/// Offers text as a file download.
pub fn download(file_name: &str, mime: &str, content: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = document.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Reads a chosen or dropped file's text, then calls back with its name and text (or an error).
pub fn read_file(file: web_sys::File, done: Callback<(String, Result<String, String>)>) {
    let name = file.name();
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        let text = match text {
            Ok(v) => v.as_string().ok_or_else(|| format!("{name}: not a text file")),
            Err(_) => Err(format!("{name}: cannot be read")),
        };
        done.emit((name, text));
    });
}

/// Reads every file of a list, then calls back once with each file's name and text (or error),
/// in the list's order.
pub fn read_files(files: web_sys::FileList, done: Callback<Vec<(String, Result<String, String>)>>) {
    let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
    wasm_bindgen_futures::spawn_local(async move {
        let mut res = Vec::with_capacity(files.len());
        for file in files {
            let name = file.name();
            let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(v) => v.as_string().ok_or_else(|| format!("{name}: not a text file")),
                Err(_) => Err(format!("{name}: cannot be read")),
            };
            res.push((name, text));
        }
        done.emit(res);
    });
}

/// The drag-over, drag-leave and drop handlers of a drop zone: `dragging` is set while files are
/// held over it, and the files dropped go to `on_files`.
pub fn drop_zone(
    dragging: yew::UseStateHandle<bool>,
    on_files: Callback<web_sys::FileList>,
) -> [Callback<web_sys::DragEvent>; 3] {
    let over = {
        let dragging = dragging.clone();
        Callback::from(move |e: web_sys::DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: web_sys::DragEvent| dragging.set(false))
    };
    let drop = Callback::from(move |e: web_sys::DragEvent| {
        e.prevent_default();
        dragging.set(false);
        if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
            on_files.emit(files);
        }
    });
    [over, leave, drop]
}

/// Shows the panic screen (static in `index.html`) with the message, instead of a blank page.
pub fn show_panic(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(text) = document.get_element_by_id("fatal-message") {
        text.set_text_content(Some(message));
    }
    if let Some(screen) = document.get_element_by_id("fatal") {
        let _ = screen.remove_attribute("hidden");
    }
}

/// Installs the panic screen: the message goes on screen and to the console; its button clears
/// the stored scenario and the fragment, then reloads.
pub fn install_panic_screen() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&message));
        show_panic(&message);
    }));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(button) = document.get_element_by_id("fatal-reset") {
        let reset = Closure::<dyn FnMut()>::new(|| {
            gloo_storage::LocalStorage::delete(STORED_SCENARIO);
            gloo_storage::LocalStorage::delete(STORED_SOURCE);
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash("");
                let _ = w.location().reload();
            }
        });
        let _ = button.add_event_listener_with_callback("click", reset.as_ref().unchecked_ref());
        reset.forget();
    }
}
