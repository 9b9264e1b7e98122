/**
 * Issue 13, case 7: commentary for the governors' pack is checked against the pupils' names
 * and UPNs before it is saved, and refused with the match shown; ordinary words that are
 * also names are not refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, withConnection } from "../analytics/db.ts";
import { findPupilIdentifiers } from "../analytics/packs/identifiers.ts";
import { getCommentary, saveCommentary } from "../analytics/packs/commentary.ts";
import { removeDb, tempDbPath } from "./helpers/db.ts";
import { seedRegister } from "./helpers/register.ts";

const PUPILS = [
  { upn: "A123456789012", forename: "Daniel", surname: "Cooper" },
  { upn: "B123456789012", forename: "Grace", surname: "May" },
  { upn: "C123456789012", forename: "Oliver", surname: "O'Neil" },
];

describe("names and UPNs in governors' commentary", () => {
  const reasons = (text: string) => findPupilIdentifiers(text, PUPILS).map((m) => `${m.text}: ${m.reason}`);

  it("finds full names in either order, any case, and surnames and forenames as names", () => {
    expect(reasons("Daniel Cooper in 5A has had weekly meetings")).toContain("Daniel Cooper: a pupil's full name");
    expect(reasons("meetings with cooper, daniel's family")).toContain("cooper, daniel: a pupil's full name");
    expect(reasons("DANIEL  COOPER")).toContain("DANIEL  COOPER: a pupil's full name");
    expect(reasons("Cooper has improved")).toContain("Cooper: a pupil's surname");
    expect(reasons("Daniel has improved")).toContain("Daniel: a pupil's forename");
    expect(reasons("Master cooper was late")).toContain("Master cooper: a pupil's surname after “Master”");
    expect(reasons("Grace May attended")).toContain("Grace May: a pupil's full name");
    expect(reasons("O'Neil was absent")).toContain("O'Neil: a pupil's surname");
    expect(reasons("See a123456789012")).toContain("a123456789012: a pupil's UPN");
  });

  it("finds a name typed without its accent or with another apostrophe, and shows it as typed (trial 16a)", () => {
    const pupils = [...PUPILS, { upn: "D123456789012", forename: "Zoë", surname: "O’Connell" }];
    const found = (text: string) => findPupilIdentifiers(text, pupils).map((m) => `${m.text}: ${m.reason}`);
    expect(found("Thanks to Zoe O'Connell's family")).toContain("Zoe O'Connell: a pupil's full name");
    expect(found("ZOË O’CONNELL")).toContain("ZOË O’CONNELL: a pupil's full name");
    expect(found("O‘Connell was late")).toContain("O‘Connell: a pupil's surname");
    // "e" followed by a combining diaeresis (how some keyboards and pastes write ë).
    expect(found("Zoe\u0308 has improved")).toContain("Zoe\u0308: a pupil's forename");
    // Stored with a straight apostrophe, typed with a curly one.
    expect(found("O’Neil was absent")).toContain("O’Neil: a pupil's surname");
  });

  it("refuses a title or a family word with a pupil's surname, since it names the pupil's family (fresh-clone trial, session 20; session 17 had let a title through as staff)", () => {
    const pupils = [...PUPILS, { upn: "E123456789012", forename: "Amelia", surname: "Price" }, { upn: "F123456789012", forename: "Ieva", surname: "Nowak" }];
    const found = (text: string) => findPupilIdentifiers(text, pupils).map((m) => `${m.text}: ${m.reason}`);
    const family = "a pupil's surname; if this is a member of staff, write their role instead";
    // The trial's text: a parent by title and surname, her daughter in 5A identifiable.
    expect(found("Mrs Nowak came in about her daughter in 5A, whose attendance is 26%.")).toEqual([`Mrs Nowak: ${family}`]);
    // Any case, with or without a full stop; an everyday-word surname too, after a title.
    expect(found("MRS. NOWAK")).toEqual([`MRS. NOWAK: ${family}`]);
    expect(found("mrs price will lead the attendance meetings")).toEqual([`mrs price: ${family}`]);
    expect(found("Dr Cooper met them")).toEqual([`Dr Cooper: ${family}`]);
    // Beside a word for family, before or after it.
    expect(found("Nowak's mum rang")).toContain(`Nowak's mum: ${family}`);
    expect(found("we spoke to the father, nowak")).toEqual([`father, nowak: ${family}`]);
    expect(found("Price parents came in")).toEqual([`Price parents: ${family}`]);
    // Whole words: not inside a longer name or word; an everyday word in lower case stays a word.
    expect(found("Nowakowski's mum; the price parents pay; a young family; a sonnet")).toEqual([]);
    // Only the one word after a title: in "Mrs Jane Cooper" the pupil's surname is refused as a surname.
    expect(found("Mrs Jane Cooper will lead")).toEqual(["Cooper: a pupil's surname"]);
    expect(found("Cooper has improved since Mrs Cooper's meetings")).toEqual([`Mrs Cooper: ${family}`, "Cooper: a pupil's surname"]);
    // A pupil's full name is refused with a title too, in either order, and a UPN always.
    expect(found("Mrs Daniel Cooper")).toContain("Daniel Cooper: a pupil's full name");
    expect(found("Mr Cooper Daniel")).toContain("Cooper Daniel: a pupil's full name");
    expect(found("Mrs Amelia Price")).toContain("Amelia Price: a pupil's full name");
    expect(found("The attendance lead: E123456789012")).toEqual(["E123456789012: a pupil's UPN"]);
    // A family by its surname names the pupil, even where the surname is an everyday word.
    expect(found("We supported the Price family")).toEqual(["the Price family: a pupil's family by surname"]);
    expect(found("THE PRICE FAMILY")).toEqual(["THE PRICE FAMILY: a pupil's family by surname"]);
    expect(found("the Cooper twins")).toContain("the Cooper twins: a pupil's family by surname");
    // An everyday word that is a surname stays a word: on its own, or lower case before "family".
    expect(found("Price alone is not a name here; the price of lateness; a young family")).toEqual([]);
    expect(found("Price")).toEqual([]);
  });

  it("does not refuse ordinary words that are also names, or names inside other words", () => {
    expect(reasons("Attendance in May rose, with grace and good humour from families; cooperation improved.")).toEqual([]);
    expect(reasons("Cooperation with the Danielson trust")).toEqual([]);
    expect(reasons("Year 5 had weekly meetings with families; persistent absence fell.")).toEqual([]);
  });

  let db: string;
  beforeAll(async () => {
    db = tempDbPath("honesty-commentary");
    await withConnection(db, (c) => seedRegister(c, { pupils: PUPILS, marks: [] }));
  });
  afterAll(async () => removeDb(db));

  it("refuses to save FGB commentary naming a pupil, shows the match, and saves nothing", async () => {
    const save = (body: string, kind: "fgb" | "slt" = "fgb") =>
      withConnection(db, (c) => saveCommentary(c, { kind, periodKey: "autumn-2026", heading: "successes", body, author: "Head", role: "head" }));
    await expect(save("Daniel Cooper in 5A has had weekly meetings and now attends.")).rejects.toThrow(
      /names a pupil — “Daniel Cooper” \(a pupil's full name\)/,
    );
    await expect(save("Progress for A123456789012.")).rejects.toThrow(/“A123456789012” \(a pupil's UPN\)/);
    // The refusal says the rule: staff by role, or by title and surname only where no pupil has it.
    await expect(save("Cooper has improved.")).rejects.toThrow(/Name a member of staff by their role \(“the attendance lead”\)/);
    // A title and a pupil's surname names the pupil's family, shown with why and what to write instead.
    await expect(save("Mrs Cooper came in about her son in 5A.")).rejects.toThrow(
      "the commentary under Successes names a pupil's family: “Mrs Cooper” — a pupil's surname; if this is a member of staff, write their role instead.",
    );
    const stored = await withConnection(db, (c) => queryRows(c, "SELECT count(*)::INTEGER AS n FROM pack_commentary"));
    expect(stored[0].n).toBe(0);
    await save("The attendance lead will lead the attendance meetings.");
    await save("Year 5's weekly meetings with families helped: persistent absence fell.");
    expect((await withConnection(db, (c) => getCommentary(c, "fgb", "autumn-2026"))).successes?.body).toMatch(/^Year 5's weekly meetings/);
    // The SLT pack is for staff: names are allowed there.
    await save("Daniel Cooper: weekly meetings.", "slt");
  });
});
