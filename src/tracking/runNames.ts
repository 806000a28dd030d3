/**
 * MLflow's generated run names ("bright-owl-123"): a predicate, a noun and an integer in
 * [0, 1000], joined by dashes, at most 20 characters (`mlflow/utils/name_utils.py`,
 * whose word lists these are).
 */

const PREDICATES = [
  "abundant", "able", "abrasive", "adorable", "adaptable", "adventurous", "aged", "agreeable", "ambitious",
  "amazing", "amusing", "angry", "auspicious", "awesome", "bald", "beautiful", "bemused", "bedecked", "big",
  "bittersweet", "blushing", "bold", "bouncy", "brawny", "bright", "burly", "bustling", "calm", "capable",
  "carefree", "capricious", "caring", "casual", "charming", "chill", "classy", "clean", "clumsy", "colorful",
  "crawling", "dapper", "debonair", "dashing", "defiant", "delicate", "delightful", "dazzling", "efficient",
  "enchanting", "entertaining", "enthused", "exultant", "fearless", "flawless", "fortunate", "fun", "funny",
  "gaudy", "gentle", "gifted", "glamorous", "grandiose", "gregarious", "handsome", "hilarious", "honorable",
  "illustrious", "incongruous", "indecisive", "industrious", "intelligent", "inquisitive", "intrigued",
  "invincible", "judicious", "kindly", "languid", "learned", "legendary", "likeable", "loud", "luminous",
  "luxuriant", "lyrical", "magnificent", "marvelous", "masked", "melodic", "merciful", "mercurial",
  "monumental", "mysterious", "nebulous", "nervous", "nimble", "nosy", "omniscient", "orderly", "overjoyed",
  "peaceful", "painted", "persistent", "placid", "polite", "popular", "powerful", "puzzled", "rambunctious",
  "rare", "rebellious", "respected", "resilient", "righteous", "receptive", "redolent", "resilient", "rogue",
  "rumbling", "salty", "sassy", "secretive", "selective", "sedate", "serious", "shivering", "skillful",
  "sincere", "skittish", "silent", "smiling", "sneaky", "sophisticated", "spiffy", "stately", "suave",
  "stylish", "tasteful", "thoughtful", "thundering", "traveling", "treasured", "trusting", "unequaled",
  "upset", "unique", "unleashed", "useful", "upbeat", "unruly", "valuable", "vaunted", "victorious",
  "welcoming", "whimsical", "wistful", "wise", "worried", "youthful", "zealous",
] as const;

const NOUNS = [
  "ant", "ape", "asp", "auk", "bass", "bat", "bear", "bee", "bird", "boar", "bug", "calf", "carp", "cat",
  "chimp", "cod", "colt", "conch", "cow", "crab", "crane", "croc", "crow", "cub", "deer", "doe", "dog",
  "dolphin", "donkey", "dove", "duck", "eel", "elk", "fawn", "finch", "fish", "flea", "fly", "foal", "fowl",
  "fox", "frog", "gnat", "gnu", "goat", "goose", "grouse", "grub", "gull", "hare", "hawk", "hen", "hog",
  "horse", "hound", "jay", "kit", "kite", "koi", "lamb", "lark", "loon", "lynx", "mare", "midge", "mink",
  "mole", "moose", "moth", "mouse", "mule", "newt", "owl", "ox", "panda", "penguin", "perch", "pig", "pug",
  "quail", "ram", "rat", "ray", "robin", "roo", "rook", "seal", "shad", "shark", "sheep", "shoat", "shrew",
  "shrike", "shrimp", "skink", "skunk", "sloth", "slug", "smelt", "snail", "snake", "snipe", "sow", "sponge",
  "squid", "squirrel", "stag", "steed", "stoat", "stork", "swan", "tern", "toad", "trout", "turtle", "vole",
  "wasp", "whale", "wolf", "worm", "wren", "yak", "zebra",
] as const;

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A new MLflow-style run name such as "bright-owl-123" (retried until it fits in 20 characters). */
export function generateRunName(random: () => number = Math.random): string {
  let name = "";
  for (let attempt = 0; attempt < 10; attempt++) {
    name = `${pick(PREDICATES, random)}-${pick(NOUNS, random)}-${Math.floor(random() * 1001)}`;
    if (name.length <= 20) return name;
  }
  return name.slice(0, 20);
}

/** True when `name` has the shape of a generated run name (predicate-noun-number from MLflow's lists). */
export function isGeneratedRunName(name: string): boolean {
  const m = /^([a-z]+)-([a-z]+)-(\d{1,4})$/.exec(name);
  return m !== null && (PREDICATES as readonly string[]).includes(m[1] as string) &&
    (NOUNS as readonly string[]).includes(m[2] as string) && Number(m[3]) <= 1000;
}

