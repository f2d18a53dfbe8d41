/**
 * A host's relative `avatar_url` is kept as written (`avatar_path`) beside the URL resolved
 * against the callback, because the original put its `user_avatar_url_tpl` before it; anything
 * that is not a plain relative path is never kept.
 */
import assert from "node:assert/strict";
import { avatarPath, toHostUser } from "../../services/host/callbacks.ts";

const CALLBACK = "https://site.example/chat/chat_get_users.php?token=secret";

Deno.test("avatarPath keeps relative paths only", () => {
  for (
    const p of ["img/1.png", "/img/1.png", "avatar.php?id=1", "../a/%D0%B0.png", "a~b_c-d.jpg"]
  ) {
    assert.equal(avatarPath(p), p);
  }
  assert.equal(avatarPath("  img/1.png \n"), "img/1.png");
  for (
    const bad of [
      "https://cdn.example/1.png",
      "//cdn.example/1.png",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:image/png;base64,AAAA",
      'img/1.png" onerror="x',
      "img/<b>.png",
      "img\\1.png",
      "img/1 2.png",
      "",
      "   ",
      "a".repeat(501),
      42,
      null,
    ]
  ) {
    assert.equal(avatarPath(bad), undefined, JSON.stringify(bad));
  }
});

Deno.test("a users-info answer with a relative avatar gives both the URL and the path", () => {
  const rel = toHostUser({ user_id: 2, name: "Лена", avatar_url: "img/lena.png" }, CALLBACK)!;
  assert.equal(rel.avatar_url, "https://site.example/chat/img/lena.png");
  assert.equal(rel.avatar_path, "img/lena.png");
  const abs = toHostUser({ user_id: 3, avatar_url: "https://cdn.example/3.png" }, CALLBACK)!;
  assert.equal(abs.avatar_url, "https://cdn.example/3.png");
  assert.equal("avatar_path" in abs, false);
  const bad = toHostUser({ user_id: 4, avatar_url: "javascript:alert(1)" }, CALLBACK)!;
  assert.deepEqual([bad.avatar_url, "avatar_path" in bad], [null, false]);
});
