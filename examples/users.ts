/** The demo site's own users: Russian and English names, like a real Russian-speaking site. */
export interface DemoUser {
  id: number;
  name: string;
  login: string;
  city: string;
  age: number;
  color: string;
  /** Shown instead of the composer: the site's way to make a user read-only (a paywall here). */
  error?: string;
}

export const DEMO_USERS: DemoUser[] = [
  { id: 1, name: "Виктор", login: "victor", city: "Владивосток", age: 34, color: "#2f6fdf" },
  { id: 2, name: "Лена", login: "lena", city: "Санкт-Петербург", age: 25, color: "#d9467a" },
  { id: 3, name: "Alice Walker", login: "alice", city: "London", age: 29, color: "#2e9d6a" },
  { id: 4, name: "Bob Stone", login: "bob", city: "Dublin", age: 41, color: "#e07b00" },
  { id: 5, name: "Ёжик Сергеевич", login: "yozhik", city: "Казань", age: 52, color: "#7a53c9" },
  {
    id: 6,
    name: "Guest (no subscription)",
    login: "guest",
    city: "Berlin",
    age: 19,
    color: "#6b7280",
    error: "Чтобы писать сообщения, оформите подписку. / Subscribe to send messages.",
  },
];

/** The demo admin (its id goes to PARLEY_ADMIN_IDS). */
export const DEMO_ADMIN_ID = "1";

export function findUser(id: string): DemoUser | undefined {
  return DEMO_USERS.find((u) => String(u.id) === id);
}

/** An avatar drawn from the user's initials, so the demo needs no image files. */
export function avatarSvg(u: DemoUser): string {
  const initials = u.name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase();
  return `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="48" fill="${u.color}"/>` +
    `<text x="48" y="60" font-family="sans-serif" font-size="38" fill="#fff" text-anchor="middle">` +
    `${initials.replace(/[<&>]/g, "")}</text></svg>`;
}
