/**
 * A small host site, as a site owner would have: its own users and login, the two callbacks of
 * the original's contract, and the Parley widget embedded on every page.
 */
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { html, raw } from "hono/html";
import { hmacHex, hmacKey, timingSafeEqual } from "../services/core/crypto.ts";
import { avatarSvg, DEMO_ADMIN_ID, DEMO_USERS, type DemoUser, findUser } from "./users.ts";

export interface HostSiteOptions {
  /** Where Parley is, as the browser sees it (the widget script and API). */
  parleyUrl: string;
  /** Where this site is, as Parley sees it (avatar URLs in the callback answer). */
  selfUrl: string;
  /** The site's own secret for users' chat hashes. */
  secret: string;
  /**
   * The secret token Parley adds to both callback URLs (`…?token=`), as README tells owners to
   * do: the callbacks answer 403 without it (the hash callback is as sensitive as a password).
   */
  callbackToken: string;
  /** Parley's PARLEY_API_SECRET: the admin link is minted through the manage API. */
  apiSecret?: string;
}

/** The hash the site gives Parley for a user (URL_getUsersHash) and puts in the page. */
export function makeHasher(secret: string) {
  const key = hmacKey(secret);
  return async (id: string) => (await hmacHex(await key, `chat:${id}`)).slice(0, 32);
}

export function hostSite(opts: HostSiteOptions) {
  const hash = makeHasher(opts.secret);
  const app = new Hono();

  // Both callbacks check the secret token in their URL first.
  app.use("/chat/*", async (c, next) => {
    if (!await timingSafeEqual(c.req.query("token") ?? "", opts.callbackToken)) {
      return c.text("forbidden", 403);
    }
    await next();
  });

  // URL_getUsersInfo: form `users=1,2` → JSON array of the original's user objects.
  app.post("/chat/users-info", async (c) => {
    const form = await c.req.parseBody();
    const ids = String(form.users ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const out = ids.map(findUser).filter((u): u is DemoUser => Boolean(u)).map((u) => ({
      user_id: u.id,
      avatar_url: `${opts.selfUrl}/avatars/${u.id}.svg`,
      name: u.name,
      city: u.city,
      age: u.age,
      status: "active",
      login: u.login,
      ...(u.error ? { error: u.error } : {}),
    }));
    return c.json(out);
  });

  // URL_getUsersHash: form `id=1` → the user's hash as a plain string.
  app.post("/chat/user-hash", async (c) => {
    const form = await c.req.parseBody();
    const u = findUser(String(form.id ?? ""));
    return c.text(u ? await hash(String(u.id)) : "");
  });

  app.get("/avatars/:file{[0-9]+\\.svg}", (c) => {
    const u = findUser(c.req.param("file").replace(".svg", ""));
    if (!u) return c.notFound();
    return c.body(avatarSvg(u), 200, {
      "content-type": "image/svg+xml",
      "cache-control": "public, max-age=86400",
    });
  });

  app.get("/login/:id", (c) => {
    const u = findUser(c.req.param("id"));
    if (!u) return c.redirect("/");
    setCookie(c, "demo_user", String(u.id), { path: "/", httpOnly: true, sameSite: "Lax" });
    return c.redirect("/home");
  });
  app.get("/logout", (c) => {
    setCookie(c, "demo_user", "", { path: "/", maxAge: 0 });
    return c.redirect("/");
  });

  app.get("/", (c) =>
    c.html(page(
      "Parley demo",
      null,
      html`
        <h1>Parley demo site</h1>
        <p>Pick a user to sign in as. Open a second browser window (or a private window) as another user,
        and chat between them. / Выберите пользователя; откройте второе окно под другим пользователем.</p>
        <ul class="people">
          ${DEMO_USERS.map((u) =>
            html`<li><a href="/login/${u.id}">
        <img src="/avatars/${u.id}.svg" alt="" width="40" height="40">
        <span><b>${u.name}</b> @${u.login} · ${u.city}${u.error ? " · read-only" : ""}
        ${String(u.id) === DEMO_ADMIN_ID ? " · admin" : ""}</span></a></li>`
          )}
        </ul>
      `,
    )));

  app.get("/home", async (c) => {
    const me = findUser(getCookie(c, "demo_user") ?? "");
    if (!me) return c.redirect("/");
    const key = await hash(String(me.id));
    const init = JSON.stringify({
      user_id: me.id,
      user_key: key,
      user_url_tpl: `${opts.selfUrl}/users/{id}`,
      user_avatar_url_tpl: `${opts.selfUrl}/avatars/{id}.svg`,
    }).replace(/</g, "\\u003c");
    // No key in this link: the site mints a one-time sign-in link when it is followed.
    const adminLink = String(me.id) === DEMO_ADMIN_ID && opts.apiSecret
      ? html`<a href="/admin-signin" id="admin-link" target="_blank">Admin</a>`
      : "";
    return c.html(page(
      "Parley demo — " + me.name,
      me,
      html`
        <header class="bar">
          <b>Demo site</b>
          <span>Signed in as ${me
            .name} · <span id="unread" aria-live="polite">0</span> unread</span>
          ${adminLink}
          <a href="/logout">Sign out</a>
        </header>
        <h1>People</h1>
        <ul class="people">
          ${DEMO_USERS.filter((u) => u.id !== me.id).map((u) =>
            html`<li>
          <img src="/avatars/${u.id}.svg" alt="" width="40" height="40">
          <span><b>${u.name}</b> @${u.login} · ${u.city}</span>
          <button type="button" data-chat="${u.id}">Write / Написать</button></li>`
          )}
        </ul>
        <p><button type="button" id="open-chat">Open messages / Сообщения</button></p>
        <script src="${opts.parleyUrl}/widget.js"></script>
        <script>
          const init = ${raw(init)};
          Parley.init({ ...init, success() {
            document.getElementById("unread").textContent = Parley.countNewMessagesSum();
          } });
          Parley.on("unread", ({ total }) => {
            document.getElementById("unread").textContent = total;
          });
          document.getElementById("open-chat").onclick = () => Parley.openDialog();
          for (const b of document.querySelectorAll("[data-chat]")) {
            b.onclick = () => Parley.openDialog(b.dataset.chat);
          }
        </script>
      `,
    ));
  });

  // The site's backend asks Parley's manage API for a one-time link (valid 2 minutes, used once)
  // and sends its signed-in admin there; the admin page then keeps its own cookie session.
  app.get("/admin-signin", async (c) => {
    const me = findUser(getCookie(c, "demo_user") ?? "");
    if (!me || String(me.id) !== DEMO_ADMIN_ID || !opts.apiSecret) return c.redirect("/");
    const res = await fetch(`${opts.parleyUrl}/api/v1/manage/users/${me.id}/admin-signin`, {
      method: "POST",
      headers: { authorization: `Bearer ${opts.apiSecret}` },
    });
    if (!res.ok) return c.text(`Parley refused: ${res.status}`, 502);
    const { path } = await res.json() as { path: string };
    c.header("referrer-policy", "no-referrer");
    return c.redirect(opts.parleyUrl + path, 303);
  });

  app.get("/users/:id", (c) => {
    const u = findUser(c.req.param("id"));
    if (!u) return c.notFound();
    return c.html(page(
      u.name,
      null,
      html`
        <h1>${u.name}</h1>
        <p>@${u.login} · ${u.city} · ${u.age}</p>
        <p><a href="/home">Back</a></p>
      `,
    ));
  });
  return app;
}

function page(title: string, _me: DemoUser | null, body: unknown) {
  return html`
    <!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>${title}</title>
        <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 760px; padding: 16px; color: #1f2937; }
      .bar { display: flex; gap: 16px; align-items: center; flex-wrap: wrap; padding: 8px 0; border-bottom: 1px solid #e5e7eb; }
      .people { list-style: none; padding: 0; }
      .people li { display: flex; gap: 12px; align-items: center; padding: 8px 0; flex-wrap: wrap; }
      .people a { display: flex; gap: 12px; align-items: center; color: inherit; }
      .people img { border-radius: 50%; }
      button { font: inherit; padding: 4px 12px; }
    </style>
      </head>
      <body>${body}</body>
    </html>
  `;
}
