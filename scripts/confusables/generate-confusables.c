/*
 * Prints, for every code point that Unicode's UTS #39 confusables data (as ICU's spoof
 * checker carries it) treats as the same as one ASCII letter or digit, a line
 * "<code point hex> <ASCII character> <S|L|M>": S for a Latin small capital (ᴄʜᴇᴄᴋ: a styling,
 * which the stylised-text signal counts), L for another Latin-script form (ı, ø, ɡ: letters
 * of real alphabets, folded but not a sign of anything), M for any other script or none
 * (Cyrillic, Greek, symbols), folded only inside words that are Latin already. Characters whose NFKD form is
 * ASCII already (fullwidth and mathematical letters) are left out: the normaliser folds them.
 * UTS #39 leaves out most small capitals (ʜ, ᴇ, ᴋ look like Cyrillic н, е, к, not like h, e,
 * k), so a Latin character it does not map is also taken by its Unicode name, when the name is
 * a plain letter with a style: "LATIN LETTER SMALL CAPITAL H", "LATIN SMALL LETTER SCRIPT G",
 * "LATIN SMALL LETTER O WITH STROKE" (turned and reversed letters are left alone).
 * The first line is "# ICU <version>, Unicode <version>".
 */
#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>

static int skeleton(const USpoofChecker *checker, UChar32 c, char *out, int capacity) {
    UChar in[2];
    int32_t length = 0;
    UBool error = 0;
    U16_APPEND(in, length, 2, c, error);
    (void)error;
    UChar result[64];
    UErrorCode status = U_ZERO_ERROR;
    int32_t resultLength = uspoof_getSkeleton(checker, 0, in, length, result, 64, &status);
    if (U_FAILURE(status)) return 0;
    u_strToUTF8(out, capacity, NULL, result, resultLength, &status);
    return U_SUCCESS(status);
}

/* The ASCII letter a Latin character's name says it is, or 0. */
static char letterByName(UChar32 c) {
    char name[128];
    UErrorCode status = U_ZERO_ERROR;
    u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof name, &status);
    if (U_FAILURE(status)) return 0;
    const char *p = name;
    if (strncmp(p, "LATIN ", 6) != 0) return 0;
    p += 6;
    if (strncmp(p, "SMALL ", 6) == 0) p += 6;
    else if (strncmp(p, "CAPITAL ", 8) == 0) p += 8;
    if (strncmp(p, "LETTER ", 7) != 0) return 0;
    p += 7;
    const char *styles[] = {"SMALL CAPITAL ", "SCRIPT ", "DOTLESS "};
    for (int i = 0; i < 3; i++) if (strncmp(p, styles[i], strlen(styles[i])) == 0) { p += strlen(styles[i]); break; }
    if (p[0] < 'A' || p[0] > 'Z') return 0;
    if (p[1] != 0 && strncmp(p + 1, " WITH ", 6) != 0) return 0;
    return (char)(p[0] + 32);
}

int main(void) {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker *checker = uspoof_open(&status);
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&status);
    if (U_FAILURE(status)) { fprintf(stderr, "ICU: %s\n", u_errorName(status)); return 1; }

    /* The skeleton of each ASCII letter and digit, and which character stands for it: the one
       whose skeleton is itself, else a small letter, else a capital, else a digit. */
    const char *order = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char skeletons[62][64];
    char target[62];
    int count = 0;
    for (const char *p = order; *p; p++) {
        char own[64];
        if (!skeleton(checker, (UChar32)*p, own, sizeof own)) continue;
        int found = -1;
        for (int i = 0; i < count; i++) if (strcmp(skeletons[i], own) == 0) found = i;
        char self[2] = {*p, 0};
        if (found < 0) {
            strcpy(skeletons[count], own);
            target[count] = *p;
            count++;
        } else if (strcmp(own, self) == 0) {
            target[found] = *p;
        }
    }

    UVersionInfo icu, unicode;
    char icuText[U_MAX_VERSION_STRING_LENGTH], unicodeText[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(icu);
    u_getUnicodeVersion(unicode);
    u_versionToString(icu, icuText);
    u_versionToString(unicode, unicodeText);
    printf("# ICU %s, Unicode %s\n", icuText, unicodeText);

    for (UChar32 c = 0x80; c <= 0x10FFFF; c++) {
        if (!u_isdefined(c) || (c >= 0xD800 && c <= 0xDFFF)) continue;
        UChar in[2], folded[32];
        int32_t length = 0;
        UBool error = 0;
        U16_APPEND(in, length, 2, c, error);
        (void)error;
    (void)error;
        status = U_ZERO_ERROR;
        int32_t foldedLength = unorm2_normalize(nfkd, in, length, folded, 32, &status);
        int asciiAlready = U_SUCCESS(status) && foldedLength > 0;
        for (int i = 0; i < foldedLength && asciiAlready; i++) if (folded[i] >= 0x80) asciiAlready = 0;
        if (asciiAlready) continue;
        char own[64];
        char ascii = 0;
        if (skeleton(checker, c, own, sizeof own)) {
            for (int i = 0; i < count; i++) if (strcmp(skeletons[i], own) == 0) ascii = target[i];
        }
        status = U_ZERO_ERROR;
        int latin = uscript_getScript(c, &status) == USCRIPT_LATIN;
        if (!ascii && latin) ascii = letterByName(c);
        if (!ascii) continue;
        if (ascii >= 'A' && ascii <= 'Z') ascii += 32;
        char name[128];
        status = U_ZERO_ERROR;
        u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof name, &status);
        char kind = !latin ? 'M' : (U_SUCCESS(status) && strstr(name, "SMALL CAPITAL")) ? 'S' : 'L';
        printf("%X %c %c\n", (unsigned)c, ascii, kind);
    }
    uspoof_close(checker);
    return 0;
}
