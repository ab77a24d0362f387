// Numbers that are PII only in context: bare nine-digit SSNs after their label in each supported
// language, phone numbers after a phone word, in `tel:` links and in the Spanish and French
// national layouts; and the ids, amounts and long account numbers that stay unredacted.
import { describe, expect, it } from "vitest";
import { findPii } from "./findPii";
import { findLabelledNumbers } from "./labelledNumbers";
import { matched } from "./testing";

describe("findLabelledNumbers", () => {
  it.each([
    ["Social Security Number: 694404502", "694404502"],
    ["ssn=678633535&dob=1984-07-12", "678633535"],
    ["Borrower SSN: 271442977 | Co-borrower SSN: 310715127", "310715127"],
    ["Número de Seguro Social (EE. UU.): 737192379", "737192379"],
    ["Numéro de sécurité sociale : 488754702", "488754702"],
    ["US-Sozialversicherungsnummer: 620196604", "620196604"],
    ["Numero di previdenza sociale: 345520699", "345520699"],
    ["米国社会保障番号：462861466", "462861466"],
  ])("finds the bare SSN in %j", (text, ssn) => {
    expect(matched(text, findLabelledNumbers(text))).toContainEqual(["ssn", ssn]);
  });

  it.each([
    "Invoice 202323266 is overdue",
    "SSN 123456789 (no dashes)",
    "SSN: 912345678",
    "SSN on file, ticket 2024 then 694404502",
    "SSN: 6944045021",
  ])("finds no SSN in %j", (text) => {
    expect(findLabelledNumbers(text).filter((finding) => finding.category === "ssn")).toEqual([]);
  });

  it.each([
    ["my cell is 4159734171 text me", "4159734171"],
    ["Llámame al 722120262 por la tarde.", "722120262"],
    ["Cellulare: 3456639999", "3456639999"],
    ["Richiamare al 340 1237853 dopo le 17.", "340 1237853"],
    ["Telefone: (71) 93620 6064", "(71) 93620 6064"],
    ["電話：09012345678", "09012345678"],
    ['<a href="tel:12063739158">Call us</a>', "12063739158"],
    ['<a href="tel:919642612">Llamar</a>', "919642612"],
    ["Si no contesto, prueba en el 987 372 841", "987 372 841"],
    ["Móvil: 645-306-303", "645-306-303"],
    ["es el 93 417 48 48.", "93 417 48 48"],
    ["Portable : 0765337203", "0765337203"],
  ])("finds the phone number in %j", (text, phone) => {
    expect(matched(text, findLabelledNumbers(text))).toContainEqual(["phone", phone]);
  });

  it.each([
    "Encomenda n.º 7339084988 enviada",
    "unix timestamp 1693290047 = 2024-05-12",
    "call me about order 2024-05-01 10:30",
    "FedEx tracking 675280189988 shows delivered",
    "Klantenkaart 5392 0984 0222 5124",
    "Kundennummer 273745208598973499",
    "phone 415 555 0134 2024 9999",
    "ref 1234 612 345 678",
  ])("finds no phone number in %j", (text) => {
    expect(findLabelledNumbers(text).filter((finding) => finding.category === "phone")).toEqual([]);
  });

  it("leaves the digit groups of a long account number alone", () => {
    expect(findPii("Klantenkaart 5392 0984 0222 5124")).toEqual([]);
  });
});
