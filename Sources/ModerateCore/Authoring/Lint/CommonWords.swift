/// Ordinary words that lint tests list phrases and literal patterns against: a rule that fires
/// inside one of them (`cialis` in "specialist", `earn` in "learn", `cuan` in Spanish "cuando",
/// `bandar` in Indonesian "bandara") will hit honest comments. The list is short on purpose:
/// everyday words of the languages comments arrive in (English, Indonesian, Spanish,
/// Portuguese, German, French), and words known to contain the short keywords spam rules like
/// to use (the "Scunthorpe problem"). `markup` holds the words of HTML and formatting that no
/// rule on prose may match even whole (`subscript`, which `subscri\w*` for "subscribe" did).
/// Compiled in rather than read from a file, so the check works wherever the binary is copied.
public enum CommonWords {
    public static let all: [String] = (text + "\n" + otherLanguages).split(whereSeparator: \.isWhitespace).map(String.init)
    public static let markup: [String] = markupText.split(whereSeparator: \.isWhitespace).map(String.init)

    private static let text = """
        the be to of and a in that have it for not on with he as you do at this but his by from
        they we say her she or an will my one all would there their what so up out if about who get
        which go me when make can like time no just him know take people into year your good some
        could them see other than then now look only come its over think also back after use two how
        our work first well way even new want because any these give day most us is are was were been
        being had has did does done said made went gone came seen known taken given thought told
        man woman child world life hand part place case week company system program question
        government number night point home water room mother area money story fact month lot right
        study book eye job word business issue side kind head house service friend father power hour
        game line end member law car city community name president team minute idea kid body
        information school face others level office door health person art war history party result
        change morning reason research girl guy moment air teacher force education film movie
        video channel music song songs album review director actor actress scene ending
        cinema theatre theater screen camera sound score story plot character characters subtitles
        subtitle library copy version cut print restoration festival series episode season
        thanks thank please great nice lovely beautiful wonderful amazing awesome brilliant fine
        agree disagree love loved hate watched watching remember remembered favorite favourite
        comment comments reply post posts blog article read reading writer written wrote
        learn learned learning learner earnest yearn yearning search researcher heard hearth
        specialist specialists specialty speciality socialist socialism commercialism
        analysis analyst canal banal therapist therapists grape drape scrape scrap scrapbook
        class classic classical classics grass pass passed passage passion passenger assume
        assess assessment assistant assist bass embassy mass massive message messages
        document documentary cucumber circumstance circumstances accumulate
        title titles petition competition hello shell shellfish seashell
        cockpit peacock hitchcock dickens scunthorpe middlesex essex sussex sextant sextet sexton
        arsenal button butter butterfly buttress pillow pillows caterpillar spillage
        better alphabet between abet bettor betray
        loaned cashew cashier freedom window winter winner ideal coffer clicked linked twinkle
        photo photos photograph shot shots hotel bitter orbit habit rabbit coincidence
        embankment denude shoe speech speed spermaceti homogeneous provide provided video
        subject subjects submit subtle suburb therapy skill skilled cocktail shiitake
        specialize specialized especially official officially social socially
        """

    /// Everyday words of the other languages comments come in, and words of theirs that hold
    /// a short spam keyword (Indonesian `bandara` holds `bandar`, `judul` is not `judi`; Spanish
    /// `cuando` holds `cuan`, `cumpleaños` holds `cum`; French `essayer` holds `essay`).
    private static let otherLanguages = """
        consultant consultants result results insult pragmatism sultana scattered deposition
        deposits depot bonuses slotted casinos seoul hackney essays essayist recovery recovered
        yang dan ini itu untuk dengan tidak dari dalam akan pada juga saya kita kami mereka bisa ada
        sudah belum harus sangat banyak lebih semua karena tapi atau jadi kalau seperti hanya masih
        orang tahun hari waktu rumah kerja uang harga mobil motor video lagu film berita komentar
        terima kasih bagus mantap keren lucu sedih senang setuju betul betulan bete petir sultanah
        judul bandara bandaranya bolak balik depok deposito slotnya hokinya rezekinya gacoran
        modalnya sabar semoga sehat selamat pagi siang malam makan minum kopi teman keluarga anak
        ibu bapak kakak adik abang mas mbak pak bu presiden rakyat pemerintah negara kota jalan
        pemain penonton channel konten kualitas desain layar baterai kamera harganya mahal murah
        el la los las de del que y en un una es por con para como pero más muy este esta todo
        cuando cuanto cuantos cuantas cuanta cumple cumpleaños cumplir acumular documento película
        canción video gracias hermoso bonito precioso grande mejor peor siempre nunca ahora después
        casa dinero trabajo amigo amiga familia tiempo año días noche mañana verdad sexto sexta
        o a os as do da dos das que e em um uma é não com para por mais muito isso esse essa
        quando quanto obrigado obrigada legal bonita filme música vídeo canal dinheiro trabalho
        sempre nunca agora depois casa amigo família tempo ano dias noite verdade sexta-feira
        der die das und ist nicht ein eine mit auf für von zu den dem sich auch aber wie wenn
        noch nur schon sehr gut danke bitte schön Film Musik Geld Arbeit Haus Freund Zeit Jahr
        immer nie jetzt dann Gewinn gewinnen Gewinner Winter Fenster Bett Betreuung Sechs Sexualität
        Spinnen Kassierer Klassiker klasse Passwort Analyse Kanal Dokument Essay Titel Hölle
        le la les de des du et est un une que qui pas pour dans sur avec ce cette mais comme
        très bien merci beaucoup bonjour film musique argent travail maison ami amie temps année
        toujours jamais maintenant après essayer essayé essayez bête bêtise assez passe classe
        analyse canal document titre sexe sexisme spinnaker coucou génial
        """

    /// Words of HTML and formatting that honest comments written in markup are full of: a rule
    /// may not match them at all (a WordPress comment with `<sub>` and the word "Subscript" in
    /// it was rejected once).
    private static let markupText = """
        subscript subscripts superscript superscripts heading headings header footer paragraph
        blockquote blockquotes strikethrough underline underlined italic italics bold boldface
        monospace codeblock preformatted table tables tbody thead tfoot caption column columns
        cell cells row rows list lists bullet bullets numbered ordered unordered item items
        markdown markup html xhtml css stylesheet span div href anchor anchors image images
        thumbnail alt src attribute attributes tag tags element elements code snippet snippets
        syntax highlight highlighting indent indentation newline linebreak emoji emoticon
        """
}
