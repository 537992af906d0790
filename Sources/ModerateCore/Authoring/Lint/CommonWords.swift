/// Ordinary English words that lint tests list phrases and literal patterns against: a rule
/// that fires inside one of them (`cialis` in "specialist", `earn` in "learn") will hit honest
/// comments. The list is short on purpose: everyday words, and words known to contain the
/// short keywords spam rules like to use (the "Scunthorpe problem").
/// Compiled in rather than read from a file, so the check works wherever the binary is copied.
public enum CommonWords {
    public static let all: [String] = text.split(whereSeparator: \.isWhitespace).map(String.init)

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
}
