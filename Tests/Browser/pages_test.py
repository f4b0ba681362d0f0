"""The web pages in a real browser (headless Chromium through Selenium) against a real broker:
an applicant in Arabic and a counsellor in Indonesian chat in two windows, an interpreter
translates, a supervisor watches. Checks right-to-left layout, the Arabic plural form of the
queue text, a reconnect that loses and duplicates nothing, keyboard focus, live regions and
colour contrast; saves a screenshot of each page.

Usage: pages_test.py <jembatan binary> <screenshot folder>"""
import json, os, re, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Scripts", "lib"))
from jembatan_ws import Broker, Socket, free_port, token  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY, SHOTS = sys.argv[1], sys.argv[2]
SECRET = "browser-test-secret-" + os.urandom(6).hex()
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-US"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    service = Service(executable_path="/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(20)
    return driver


def wait(driver, predicate, what, timeout=15):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: predicate(d))
    except Exception:
        check(False, f"{what} (timed out)")
        return None


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def texts(driver, selector):
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", selector)


def sign_in(driver, url, locale, role, name, langs):
    driver.get(url)
    wait(driver, lambda d: css(d, "#login-form"), f"{url}: the demo login form appears")
    Select(driver.find_element(By.ID, "locale")).select_by_value(locale)
    wait(driver, lambda d: d.execute_script("return document.documentElement.lang") == locale, f"{url}: page switches to {locale}")
    Select(driver.find_element(By.ID, "login-role")).select_by_value(role)
    driver.find_element(By.ID, "login-name").send_keys(name)
    for box in css(driver, "input[name=langs]"):
        if box.is_selected() != (box.get_attribute("value") in langs):
            box.click()
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait(driver, lambda d: d.find_element(By.ID, "link-state").get_attribute("data-state") == "online", f"{url}: {role} connected")


def compose(driver, scope, text):
    box = driver.find_element(By.CSS_SELECTOR, f"{scope} .composer textarea")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def arabic_few_form():
    """The queue text for three people ahead, from Locales/ar.json's own `few` branch."""
    pattern = json.load(open(os.path.join(ROOT, "Locales", "ar.json")))["queue.position"]
    few = re.search(r"few \{([^}]*)\}", pattern).group(1)
    return few.replace("#", "٣")


CONTRAST = """
function lum(c) { const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
function background(el) { for (let e = el; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
  if (!c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; }
const bad = [];
for (const el of document.querySelectorAll('body *')) {
  if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
  const r = el.getBoundingClientRect(); if (!r.width || !r.height) continue;
  const style = getComputedStyle(el); if (style.visibility === 'hidden' || parseFloat(style.opacity) < 1) continue;
  const a = lum(style.color), b = lum(background(el));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
  if (ratio < (large ? 3 : 4.5)) bad.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2));
}
return bad;
"""


def main():
    port = free_port()
    data = tempfile.mkdtemp(prefix="jembatan-browser-")
    broker = Broker(BINARY, data, port, SECRET, extra=["--demo", "--web", os.path.join(ROOT, "Web"), "--locales", os.path.join(ROOT, "Locales")])
    broker.start()
    base = f"http://127.0.0.1:{port}"
    os.makedirs(SHOTS, exist_ok=True)
    drivers = []
    try:
        run(base, port, drivers)
    finally:
        for driver in drivers:
            try:
                for entry in driver.get_log("browser"):
                    if entry["level"] == "SEVERE":
                        check(False, f"no browser console error: {entry['message'][:200]}")
            except Exception:
                pass
            driver.quit()
        broker.stop()
    print(f"\n{len(failures)} failure(s)" if failures else "\nall browser checks passed")
    sys.exit(1 if failures else 0)


def run(base, port, drivers):
    staff = browser()
    drivers.append(staff)
    sign_in(staff, base + "/staff", "id", "counsellor", "Siti Rahayu", ["id", "ar"])
    check(staff.execute_script("return document.documentElement.dir") == "ltr", "staff console in Indonesian is left-to-right")

    # Three people ahead in the Arabic counselling queue, so the page shows the `few` form.
    others = []
    for n in range(3):
        sock = Socket(port)
        sock.send({"type": "hello", "token": token(SECRET, f"a-ahead-{n}", "applicant", f"Ahead {n}", ["ar"])})
        sock.next("welcome")
        sock.send({"type": "request", "id": "q", "service": "counselling", "language": "ar"})
        others.append((sock, sock.next("queued")["ticket"]))

    applicant = browser()
    drivers.append(applicant)
    sign_in(applicant, base + "/", "ar", "applicant", "ليلى حداد", ["ar"])
    check(applicant.execute_script("return document.documentElement.dir") == "rtl", "the Arabic page is right-to-left (dir=rtl)")
    wait(applicant, lambda d: d.find_element(By.ID, "request").is_displayed(), "the request form is shown")
    applicant.find_element(By.CSS_SELECTOR, "input[name=service][value=counselling]").click()
    check(Select(applicant.find_element(By.ID, "request-language")).first_selected_option.get_attribute("value") == "ar",
          "the service language defaults to the page's language")
    applicant.find_element(By.CSS_SELECTOR, "#request button[type=submit]").click()
    expected = arabic_few_form()
    queue_text = wait(applicant, lambda d: d.find_element(By.ID, "queue-text").text, "the queue text appears") or ""
    check(expected in queue_text, f"the queue text uses the Arabic `few` plural form: {expected!r} in {queue_text!r}")
    check(applicant.find_element(By.ID, "queue-text").get_attribute("aria-live") == "polite", "the queue text is a live region")
    applicant.save_screenshot(os.path.join(SHOTS, "applicant-queue-ar.png"))

    for sock, ticket in others:
        # Confirmed before the counsellor goes available, or the broker might assign them first.
        sock.send({"type": "cancel", "ticket": ticket})
        sock.next("cancelled")
        sock.close()
    staff.find_element(By.ID, "available").click()
    wait(applicant, lambda d: css(d, ".session .composer textarea"), "the applicant's session starts")
    wait(staff, lambda d: css(d, ".pane .composer textarea"), "the counsellor's session pane opens")
    session = staff.execute_script("return document.querySelector('.session').dataset.session")

    # Arabic from the applicant, laid out right to left on both pages.
    arabic = "مرحبا، أحتاج إلى تمديد تصريح الإقامة"
    compose(applicant, ".session", arabic)
    wait(staff, lambda d: arabic in texts(d, ".msg .text"), "the counsellor receives the Arabic message")
    bubble = """const p = [...document.querySelectorAll('.msg .text')].find(e => e.textContent === arguments[0]);
      const range = document.createRange(); range.setStart(p.firstChild, 0); range.setEnd(p.firstChild, 1);
      const first = range.getBoundingClientRect(); range.setStart(p.firstChild, p.firstChild.length - 1); range.setEnd(p.firstChild, p.firstChild.length);
      const last = range.getBoundingClientRect(); const li = p.closest('li').getBoundingClientRect(); const log = p.closest('ol').getBoundingClientRect();
      return {dir: p.getAttribute('dir'), lang: p.getAttribute('lang'), direction: getComputedStyle(p).direction,
              firstRight: first.right, lastLeft: last.left, liLeft: li.left, liRight: li.right, logMid: (log.left + log.right) / 2};"""
    for name, driver in (("applicant", applicant), ("counsellor", staff)):
        wait(driver, lambda d: arabic in texts(d, ".msg:not(.pending) .text"), f"{name}: the Arabic message is stored and shown")
        info = driver.execute_script(bubble, arabic)
        check(info["dir"] == "auto" and info["lang"] == "ar", f"{name}: the bubble is dir=auto lang=ar ({info['dir']}, {info['lang']})")
        check(info["direction"] == "rtl", f"{name}: the Arabic bubble's computed direction is rtl")
        check(info["firstRight"] > info["lastLeft"], f"{name}: the first letter sits right of the last (laid out right to left)")
    info = applicant.execute_script(bubble, arabic)
    check(info["liRight"] < info["logMid"], "applicant (RTL page): their own bubble sits at the inline end, on the left")
    info = staff.execute_script(bubble, arabic)
    check(info["liLeft"] < info["logMid"], "counsellor (LTR page): the applicant's bubble sits at the inline start, on the left")

    indonesian = "Selamat siang, silakan siapkan paspor Anda."
    staff_box = staff.find_element(By.CSS_SELECTOR, ".pane .composer textarea")
    staff_box.send_keys("Sebentar")
    wait(applicant, lambda d: d.find_element(By.CSS_SELECTOR, ".session .typing").text.strip(), "the applicant sees the typing indicator")
    staff_box.clear()
    compose(staff, ".pane", indonesian)
    wait(applicant, lambda d: indonesian in texts(d, ".msg .text"), "the applicant receives the Indonesian reply")
    direction = applicant.execute_script(
        "return getComputedStyle([...document.querySelectorAll('.msg .text')].find(e => e.textContent === arguments[0])).direction", indonesian)
    check(direction == "ltr", "a Latin-script bubble inside the Arabic page runs left to right (dir=auto)")

    # A notification from the application system reaches the page at once, in Arabic.
    applicant_id = applicant.execute_script("return JSON.parse(atob(jembatan.link.token.split('.')[1].replace(/-/g,'+').replace(/_/g,'/'))).sub")
    body = json.dumps({"id": "n-browser-1", "applicant": applicant_id, "key": "application.status_changed",
                       "args": {"reference": "ITAS-2026-0042", "status": "approved"}}).encode()
    request = urllib.request.Request(f"{base}/api/notifications", data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": "Bearer " + token(SECRET, "portal", "system", "Portal", ["en"])})
    check(urllib.request.urlopen(request).status == 201, "the application system's notification is accepted")
    shown = wait(applicant, lambda d: [e.text for e in css(d, "#notification-list li") if "ITAS-2026-0042" in e.text],
                 "the applicant page shows the notification")
    expected_status = json.load(open(os.path.join(ROOT, "Locales", "ar.json")))["status.approved"]
    check(bool(shown) and expected_status in shown[0], f"the notification is in Arabic ({shown})")

    # The line drops: a message sent just before (its ack lost), two typed while offline, two
    # from the counsellor meanwhile. After the reconnect each appears exactly once.
    lost_ack = "رسالة قبل انقطاع الاتصال"
    applicant.execute_script("jembatan.link.sendMessage(arguments[0], {text: arguments[1]}); jembatan.link.kill(4000);", session, lost_ack)
    offline = ["الرسالة الأولى دون اتصال", "الرسالة الثانية دون اتصال"]
    for text in offline:
        compose(applicant, ".session", text)
    check(len(css(applicant, ".msg.pending")) >= 2, "messages typed offline wait in the outbox, shown as pending")
    check(applicant.find_element(By.ID, "link-state").get_attribute("data-state") in ("offline", "reconnecting"),
          "the page says the connection is gone")
    meanwhile = ["رد أثناء الانقطاع ١", "Balasan kedua selama terputus"]
    for text in meanwhile:
        compose(staff, ".pane", text)
    everything = [arabic, indonesian, lost_ack] + offline + meanwhile
    wait(applicant, lambda d: all(t in texts(d, ".msg:not(.pending) .text") for t in everything) and not css(d, ".msg.pending"),
         "after the reconnect the applicant has every message and nothing pending", timeout=25)
    wait(staff, lambda d: all(t in texts(d, ".msg .text") for t in everything), "the counsellor has every message", timeout=25)
    for name, driver in (("applicant", applicant), ("counsellor", staff)):
        shown = texts(driver, ".msg:not(.system) .text")
        check(all(shown.count(t) == 1 for t in everything), f"{name}: no message shown twice")
        seqs = driver.execute_script("return [...document.querySelectorAll('.msg[data-seq]')].map(e => Number(e.dataset.seq))")
        check(seqs == sorted(seqs), f"{name}: messages in seq order")
    check(applicant.execute_script("return JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('jembatan.outbox'))) || '[]').length") == 0,
          "the outbox is empty once everything is acknowledged")
    transcript = applicant.execute_async_script("""const done = arguments[arguments.length - 1];
        fetch('/api/sessions/' + arguments[0] + '/transcript?format=json', {headers: {Authorization: 'Bearer ' + jembatan.link.token}})
          .then(r => r.json()).then(done, e => done({error: String(e)}));""", session)
    stored = [m.get("text") for m in transcript.get("messages", []) if m.get("from", {}).get("role") != "system"]
    check(all(stored.count(t) == 1 for t in everything), "the stored transcript holds each message exactly once")
    all_seqs = [m["seq"] for m in transcript.get("messages", [])]
    check(all_seqs == list(range(1, len(all_seqs) + 1)), "the stored transcript's seq has no gaps")

    # An interpreter joins and links a translation to the applicant's message.
    interpreter = browser()
    drivers.append(interpreter)
    sign_in(interpreter, base + "/interpreter", "en", "interpreter", "Wang Fang", ["ar", "id", "zh"])
    interpreter.find_element(By.ID, "available").click()
    time.sleep(0.5)
    pair = Select(staff.find_element(By.CSS_SELECTOR, ".pane .actions select"))
    pair.select_by_value("id")
    staff.find_element(By.CSS_SELECTOR, ".pane .actions .action button").click()
    wait(interpreter, lambda d: css(d, ".pane .msg .translate"), "the interpreter's view opens with the history")
    wait(applicant, lambda d: any(p.get_attribute("data-role") == "interpreter" for p in css(d, ".participants li")),
         "the applicant sees the interpreter join")
    original = interpreter.execute_script(
        "return [...document.querySelectorAll('.msg')].find(li => li.querySelector('.text').textContent === arguments[0]).dataset.seq", arabic)
    interpreter.execute_script(
        "[...document.querySelectorAll('.msg')].find(li => li.dataset.seq === arguments[0]).querySelector('.translate').click()", original)
    check(interpreter.find_element(By.CSS_SELECTOR, ".pane .target-lang").get_attribute("value") == "id",
          "the translation target defaults to the other language")
    translation = "Halo, saya perlu memperpanjang izin tinggal"
    compose(interpreter, ".pane", translation)
    wait(staff, lambda d: translation in texts(d, ".msg.translation .text"), "the counsellor sees the linked translation")
    ref = staff.execute_script(
        "return [...document.querySelectorAll('.msg.translation')].find(li => li.querySelector('.text').textContent === arguments[0]).querySelector('.ref a').getAttribute('href')",
        translation)
    check(ref == f"#m-{session}-{original}", f"the translation links to the original message ({ref})")
    arabic_digits = str(original).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    wait(applicant, lambda d: any(arabic_digits in r for r in texts(d, ".msg .ref")),
         f"the Arabic page writes the linked message number with the broker's Arabic-Indic digits ({arabic_digits})")
    interpreter.save_screenshot(os.path.join(SHOTS, "interpreter-en.png"))

    # The supervisor's page.
    supervisor = browser()
    drivers.append(supervisor)
    sign_in(supervisor, base + "/supervisor", "en", "supervisor", "Budi Santoso", ["id", "en"])
    wait(supervisor, lambda d: css(d, "#queues tbody tr"), "the supervisor sees queues per service and language")
    wait(supervisor, lambda d: css(d, "#figures dd"), "the supervisor sees today's figures")
    supervisor.save_screenshot(os.path.join(SHOTS, "supervisor-en.png"))

    # A private note: shown to staff as a note, never to the applicant.
    note = "Catatan: paspor berlaku sampai 2027"
    staff.find_element(By.CSS_SELECTOR, f"#pane-{session} .as-note").click()
    compose(staff, f"#pane-{session}", note)
    wait(staff, lambda d: note in texts(d, ".msg.note:not(.pending) .text"), "the counsellor's private note is stored and shown as a note")
    staff.find_element(By.CSS_SELECTOR, f"#pane-{session} .as-note").click()
    compose(staff, f"#pane-{session}", "Terima kasih atas kesabaran Anda.")
    wait(applicant, lambda d: "Terima kasih atas kesabaran Anda." in texts(d, ".msg .text"), "the applicant receives the message after the note")
    check(note not in texts(applicant, ".msg .text"), "the applicant never sees the private note")

    # A reply template: sent as key + arguments, read by the applicant in Arabic.
    staff.find_element(By.CSS_SELECTOR, f"#pane-{session} details.templates summary").click()
    Select(staff.find_element(By.CSS_SELECTOR, f"#pane-{session} .template select")).select_by_value("status.in_process")
    staff.find_element(By.CSS_SELECTOR, f"#pane-{session} .template input[name=days]").send_keys("5")
    staff.find_element(By.CSS_SELECTOR, f"#pane-{session} .template button[type=submit]").click()
    template_text = wait(applicant, lambda d: [m for m in texts(d, ".msg .text") if "٥" in m], "the applicant reads the template in Arabic, with Arabic-Indic digits")
    check(bool(template_text), f"template rendered for the applicant: {template_text}")

    # A second applicant: a second tab with an unread count, cleared when opened.
    latin = staff.execute_script("return document.querySelector('[role=tab] .latin')?.textContent ?? ''")
    check(latin.startswith("(") and latin.isascii(), f"the Arabic name shows its Latin transliteration in the tab ({latin})")
    second = Socket(port)
    second.send({"type": "hello", "token": token(SECRET, "a-second", "applicant", "Ahmad Yusuf", ["ar"])})
    second.next("welcome")
    second.send({"type": "request", "id": "q", "service": "counselling", "language": "ar"})
    second_session = second.next("session.started")["session"]["id"]
    for n in range(2):
        second.send({"type": "send", "id": f"m{n}", "session": second_session, "client_msg_id": f"second-{n}", "text": f"سؤال {n + 1}"})
        second.next("ack")
    tab = f"#tab-{second_session}"
    badge = wait(staff, lambda d: [e.text for e in css(d, f"{tab} .unread") if e.is_displayed()], "the second session's tab shows its unread count")
    check(badge == ["3"], f"the unread count is 3: the broker's notice that the session started and two questions ({badge})")
    staff.find_element(By.CSS_SELECTOR, tab).send_keys(Keys.ENTER)
    wait(staff, lambda d: not d.find_element(By.CSS_SELECTOR, f"{tab} .unread").is_displayed(), "opening the tab clears the unread count")
    read = second.next("read")
    check(read.get("seq", 0) >= 2, "opening the tab sends a read mark the applicant receives")

    applicant.save_screenshot(os.path.join(SHOTS, "applicant-chat-ar.png"))
    staff.find_element(By.ID, "layout-side").click()
    staff.save_screenshot(os.path.join(SHOTS, "staff-id.png"))

    # Accessibility: live regions, focus visible from the keyboard, contrast.
    check(applicant.find_element(By.CSS_SELECTOR, ".session .log").get_attribute("role") == "log", "messages are a role=log live region")
    body = applicant.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = applicant.execute_script("const e = document.activeElement; const s = getComputedStyle(e); return [e.className, s.outlineStyle, s.outlineWidth]")
    check(focused[1] != "none" and focused[2] != "0px", f"Tab moves the focus with a visible ring ({focused})")
    for name, driver in (("applicant", applicant), ("staff", staff), ("interpreter", interpreter), ("supervisor", supervisor)):
        bad = driver.execute_script(CONTRAST)
        check(not bad, f"{name}: every visible text passes WCAG AA contrast {bad[:5]}")

    # Closing, rating (keyboard only) and the transcript.
    Select(staff.find_element(By.CSS_SELECTOR, f"#pane-{session} .actions .action:last-child select")).select_by_value("resolved")
    staff.find_element(By.CSS_SELECTOR, f"#pane-{session} .actions .action:last-child button").click()
    wait(applicant, lambda d: d.find_element(By.ID, "closed").is_displayed(), "the applicant sees the session closed")
    applicant.find_element(By.CSS_SELECTOR, "input[name=rating][value='5']").send_keys(Keys.SPACE)
    applicant.find_element(By.ID, "rating-comment").send_keys("شكرا")
    applicant.find_element(By.CSS_SELECTOR, "#rating button[type=submit]").send_keys(Keys.ENTER)
    wait(applicant, lambda d: d.find_element(By.ID, "rating-thanks").text, "the rating is thanked for")
    status = applicant.execute_async_script("""const done = arguments[arguments.length - 1];
        fetch('/api/sessions/' + arguments[0] + '/transcript?format=html', {headers: {Authorization: 'Bearer ' + jembatan.link.token}})
          .then(r => done(r.status), e => done(String(e)));""", session)
    check(status == 200, "the transcript download answers 200")
    applicant.save_screenshot(os.path.join(SHOTS, "applicant-closed-ar.png"))


if __name__ == "__main__":
    main()
