use super::*;

const NEWS: &str = include_str!("../../../../tests/fixtures/html/news_article.html");
const BR_DIVS: &str = include_str!("../../../../tests/fixtures/html/br_divs.html");
const GERMAN_BLOG: &str = include_str!("../../../../tests/fixtures/html/german_blog.html");
const SHORT: &str = include_str!("../../../../tests/fixtures/html/short_page.html");

fn body_of(html: &str) -> String {
    parse_html(html).expect("page parses").body
}

#[track_caller]
fn assert_has(body: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(body.contains(w), "missing {w:?} in body:\n{body}");
    }
}

#[track_caller]
fn assert_lacks(body: &str, unwanted: &[&str]) {
    for u in unwanted {
        assert!(!body.contains(u), "unexpected {u:?} in body:\n{body}");
    }
}

#[test]
fn news_article_keeps_paragraphs_and_drops_chrome() {
    let body = body_of(NEWS);
    assert_has(
        &body,
        &[
            "The harbour bridge reopened to traffic on Tuesday morning",
            "Engineers replaced all 212 steel cables",
            "Costs rose by a third",
            "said chief engineer Tomas Okafor",
            "Cyclists will have to wait until May",
        ],
    );
    assert_lacks(
        &body,
        &[
            "SCRIPT-TEXT-MUST-NOT-APPEAR",
            "font-family",
            "We use cookies",
            "Accept all",
            "Sport",
            "Share on Facebook",
            "Advertisement",
            "Ferry timetable",
            "Related stories",
            "My commute will be",
            "Storm warning",
            "newsletter",
            "All rights reserved",
            "Bridges",
            "5 March 2024",
        ],
    );
}

#[test]
fn paragraphs_are_separated_by_blank_lines_with_inner_whitespace_collapsed() {
    let body = body_of(NEWS);
    assert!(body.starts_with(
        "The harbour bridge reopened to traffic on Tuesday morning, ending two years of detours for the roughly"
    ));
    assert!(body.contains("every day.\n\nEngineers replaced"), "{body}");
    assert!(!body.contains("  "));
    assert!(!body.contains("\n\n\n"));
}

#[test]
fn news_article_metadata_follows_open_graph_then_canonical() {
    let article = parse_html(NEWS).expect("page parses");
    assert_eq!(article.title.as_deref(), Some("Harbour bridge reopens after two years of repairs"));
    assert_eq!(article.source.as_deref(), Some("The Coastal Ledger"));
    assert_eq!(article.url.as_deref(), Some("https://www.coastal-ledger.example/news/harbour-bridge-reopens"));
}

#[test]
fn text_in_divs_with_line_breaks_is_kept_as_paragraphs() {
    let article = parse_html(BR_DIVS).expect("page parses");
    assert_has(
        &article.body,
        &[
            "The spring fair opens on Saturday at ten o'clock",
            "Local bakers, potters and beekeepers",
            "Parking is limited",
        ],
    );
    assert!(article.body.contains("sixty stalls.\n\nLocal bakers"), "{}", article.body);
    assert_lacks(&article.body, &["Archive", "Imprint"]);
    // The title's suffix names the site (application-name), so it goes.
    assert_eq!(article.title.as_deref(), Some("Spring fair programme"));
    assert_eq!(article.source.as_deref(), Some("townhall-weekly.example"));
    assert_eq!(article.url.as_deref(), Some("http://www.townhall-weekly.example/events/spring-fair"));
}

#[test]
fn german_blog_drops_meta_sharing_comments_and_widgets() {
    let article = parse_html(GERMAN_BLOG).expect("page parses");
    assert_has(&article.body, &["Am Samstag sind wir früh aufgebrochen", "bis zu den Schweizer Bergen."]);
    assert_lacks(
        &article.body,
        &[
            "Veröffentlicht am",
            "Teilen mit",
            "Schlagwörter",
            "Toller Bericht",
            "Hinterlasse",
            "Hüttentour",
            "WordPress",
            "Impressum",
        ],
    );
    // "Wanderblog" is the domain's name, so the suffix goes; the domain is the source.
    assert_eq!(article.title.as_deref(), Some("Unser Ausflug an den Bodensee"));
    assert_eq!(article.source.as_deref(), Some("wanderblog.example"));
}

#[test]
fn short_page_takes_its_title_from_the_first_heading() {
    let article = parse_html(SHORT).expect("page parses");
    assert_eq!(article.title.as_deref(), Some("Office closed on Friday"));
    assert_has(&article.body, &["Our office stays closed on Friday"]);
    assert_eq!(article.source, None);
    assert_eq!(article.url, None);
}

#[test]
fn title_suffix_that_is_not_the_site_name_stays() {
    let html = r#"<html><head><title>Rock - Paper - Scissors</title>
        <meta property="og:site_name" content="Games Weekly"></head><body><p>x</p></body></html>"#;
    assert_eq!(parse_html(html).expect("parses").title.as_deref(), Some("Rock - Paper - Scissors"));
}

#[test]
fn empty_page_is_an_error_and_title_only_page_is_not() {
    assert!(parse_html("").is_err());
    assert!(parse_html("<html><body>  <script>var x = 1;</script> </body></html>").is_err());
    let titled = parse_html("<title>Only a title</title>").expect("a title is enough");
    assert_eq!(titled.title.as_deref(), Some("Only a title"));
    assert_eq!(titled.body, "");
}

#[test]
fn page_without_any_candidate_falls_back_to_visible_text() {
    let body = body_of("<html><body><span>Tiny note.</span></body></html>");
    assert_eq!(body, "Tiny note.");
}

#[test]
fn malformed_and_binary_input_does_not_panic() {
    for input in [
        "<<<>>><div><p>unclosed <b>bold <i>italic</div></p>",
        "\u{0}\u{1}\u{2}<html>\u{fffd}\u{fffd}</html>",
        "<table><tr><td><table><tr><td>nested</td></tr></table>",
        "<a href=x>link only</a>",
        "&amp;&lt;&#xffffff;&#0;",
    ] {
        let _ = parse_html(input);
    }
    let deep = "<div>".repeat(3_000) + "deep text" + &"</div>".repeat(3_000);
    assert!(body_of(&deep).contains("deep text"));
}

#[test]
fn article_wrapped_in_an_aside_is_kept() {
    // A German regional CMS wraps the whole article column in <aside class="...-content">.
    let html = r#"<html><body><nav><a href="/">Start</a> <a href="/x">Region</a></nav>
        <main><aside class="pa-direct-content"><h1>Buchpreis verliehen</h1>
        <div itemprop="articleBody"><p>Für einen Roman über die alte Bundesrepublik hat der Autor den Preis erhalten,
        der als wichtigste Auszeichnung der Branche gilt.</p></div></aside></main>
        <aside class="sidebar"><p>Ihre Zeitung. Jetzt abonnieren und alles lesen.</p></aside></body></html>"#;
    let body = body_of(html);
    assert_has(&body, &["Für einen Roman", "Auszeichnung der Branche gilt."]);
    assert_lacks(&body, &["Ihre Zeitung", "Region"]);
}

#[test]
fn article_body_inside_a_chrome_named_wrapper_survives() {
    let html = r#"<html><body><div class="teaser-wrapper"><div class="entry-content">
        <p>The council voted on Monday to extend the night bus service to all outer districts, starting in spring.</p>
        <p>Opposition members said the budget for the extension was not yet secured.</p></div></div>
        <div class="teaser"><a href="/a">Other story one</a> <a href="/b">Other story two</a></div></body></html>"#;
    let body = body_of(html);
    assert_has(&body, &["The council voted on Monday", "not yet secured"]);
    assert_lacks(&body, &["Other story"]);
}

#[test]
fn the_target_of_a_skip_link_is_the_article_not_chrome() {
    let html = r##"<html><body><a class="skiplink" href="#skiplink-inhalt">Zum Inhalt springen</a>
        <nav><a href="/">Start</a> <a href="/news">News</a></nav>
        <div id="skiplink-inhalt"><h1>Publikumsvoting gestartet</h1>
        <p>Ab sofort kann für die besten Webprojekte des Jahres abgestimmt werden, und zwar bis Ende des Monats.</p>
        <p>Die Jury hat aus über hundert Einreichungen zwölf Finalisten ausgewählt, die nun zur Wahl stehen.</p></div>
        </body></html>"##;
    let body = body_of(html);
    assert_has(&body, &["Ab sofort kann für die besten Webprojekte", "zwölf Finalisten"]);
    assert_lacks(&body, &["Zum Inhalt springen"]);
}

/// A page builder names every block of the article like chrome (`widget`): honouring the names
/// left almost none of the page's prose, so they are ignored and the article comes back.
#[test]
fn article_in_blocks_named_like_widgets_is_kept() {
    let para = |n: u32| {
        format!(
            "<div class=\"builder-widget widget-text\"><p>Paragraph {n} of the council report explains, in \
             plain words and at some length, how the new library budget will be spent over three years.</p></div>"
        )
    };
    let html = format!(
        "<html><head><title>Library budget</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
         <main><h1>Library budget</h1>{}</main><footer>© Town Hall</footer></body></html>",
        (1..=6).map(para).collect::<String>()
    );
    let body = body_of(&html);
    assert_has(&body, &["Paragraph 1 of the council report", "Paragraph 6 of the council report"]);
    assert_lacks(&body, &["Town Hall"]);
}

/// A share bar's or paywall's name on the wrapper that holds nearly all the page's prose does
/// not drop the article; a comment section is dropped whatever it holds.
#[test]
fn wrapper_named_like_chrome_that_holds_the_article_is_kept_but_comments_are_not() {
    let paras: String = (1..=5)
        .map(|n| {
            format!(
                "<p>Part {n}: the river authority measured record levels this week and warned residents \
                 living near the old mill to move their cars to higher ground before the weekend.</p>"
            )
        })
        .collect();
    let html = format!(
        "<html><body><div class=\"paywall\"><div class=\"sharing-container\">{paras}</div></div>\
         <div id=\"comments\"><p>Reader one wrote a long comment saying that the levels were higher still in 1998, \
         and that nobody listened then either, which he found rather telling about the authority.</p></div></body></html>"
    );
    let body = body_of(&html);
    assert_has(&body, &["Part 1: the river authority", "Part 5: the river authority"]);
    assert_lacks(&body, &["Reader one"]);
}

/// The lead paragraph between the headline and the article's container belongs to the article.
#[test]
fn lead_between_headline_and_article_body_is_kept() {
    let paras: String = (1..=4)
        .map(|n| {
            format!(
                "<p>Body paragraph {n}: the orchestra rehearsed the new symphony in the restored hall, and the \
                 conductor said the acoustics were better than anyone had hoped when work began.</p>"
            )
        })
        .collect();
    let html = format!(
        "<html><body><div class=\"page\"><h1>Hall reopens</h1><div class=\"intro\"><p>After six years of \
         restoration the concert hall opens its doors again on Friday.</p></div>\
         <div class=\"article-body\">{paras}</div></div></body></html>"
    );
    let body = body_of(&html);
    assert_has(&body, &["After six years of restoration", "Body paragraph 1", "Body paragraph 4"]);
}

#[test]
fn a_sidebar_longer_than_a_short_post_is_still_dropped() {
    // A photo post with two short paragraphs beside a sidebar full of legal text.
    let html = r#"<html><body><div id="wrapper"><div class="content"><div class="post type-post">
        <h2>Night skyline</h2><p>The city lies dark and silent under a clear winter sky tonight.</p>
        <p>It started with a handheld shot at a high ISO value, which looks rather decent.</p></div></div>
        <div id="sidebar"><div class="box"><h3>About this blog</h3>
        <p>This blog is a private hobby, written in spare time without any commercial interest whatsoever, and
        the author takes no responsibility for the content of external links, for which only their operators are liable.</p>
        <p>Whether this notice is needed at all is an open question, but it does no harm to have it here either way.</p>
        </div></div></div></body></html>"#;
    let body = body_of(html);
    assert_has(&body, &["The city lies dark", "looks rather decent."]);
    assert_lacks(&body, &["private hobby", "open question"]);
}

/// Themes name the lead like chrome (`teaser-text`, `<header class="intro">`) and put it outside
/// the article body; when it repeats the page's own description it is the article's lead.
#[test]
fn lead_that_repeats_the_page_description_is_kept_whatever_its_names() {
    let paras: String = (1..=4)
        .map(|n| {
            format!(
                "<p>Body paragraph {n}: volunteers counted the birds along the river twice this winter, and the \
                 society says the numbers of geese have never been this high since records began.</p>"
            )
        })
        .collect();
    let lead = "More geese than ever have spent the winter on the river, the bird society reports.";
    let html = format!(
        "<html><head><meta name=\"description\" content=\"{lead}\"></head><body>\
         <div class=\"news\"><header class=\"intro\"><div class=\"teaser-text\"><p>{lead}</p></div></header>\
         <div itemprop=\"articleBody\">{paras}</div>\
         <div class=\"teaser\"><p>Another story: the ferry timetable changes on Monday for the spring season.</p></div>\
         </div></body></html>"
    );
    let body = body_of(&html);
    assert_has(&body, &["More geese than ever", "Body paragraph 1", "Body paragraph 4"]);
    assert!(body.starts_with("More geese than ever"), "{body}");
    assert_lacks(&body, &["ferry timetable"]);
}

/// Page builders wrap each text block twice (`wrapper > element > p…`); the best-scoring block is
/// then its wrapper's only child, and the article's other blocks are siblings of the wrapper.
#[test]
fn text_blocks_wrapped_twice_are_all_kept() {
    let block = |words: &str| {
        format!(
            "<div class=\"text-element__wrapper\"><div class=\"text-element\"><p>{words} The club's president said \
             on Tuesday that the hall would be full, that the team was in form, and that the cup was made for \
             evenings like this one.</p><p>{words} Tickets are still on sale at the club office, and the match \
             starts at half past seven on Saturday evening.</p></div></div>"
        )
    };
    let html = format!(
        "<html><body><div class=\"page\"><div class=\"col-main\"><h1>Cup quarter-final</h1>{}\
         <div class=\"headline\"><h2>Brothers on both sides</h2></div>{}</div>\
         <div class=\"col-side\"><ul><li><a href=\"/a\">Other news one</a></li><li><a href=\"/b\">Other news two</a></li></ul></div>\
         </div></body></html>",
        block("First block."),
        block("Second block.")
    );
    let body = body_of(&html);
    assert_has(
        &body,
        &["First block. The club's president", "Second block. The club's president", "Second block. Tickets"],
    );
    assert_lacks(&body, &["Other news"]);
}

/// A named anchor (`<a name>`, a jump target from a table of contents) wraps ordinary text: a
/// paragraph inside one is not a link-only line.
#[test]
fn paragraph_inside_a_named_anchor_is_text_not_a_link() {
    let html = "<html><body><article><h1>Questions from listeners</h1>\
        <p>The host opened the show with the question that listeners had sent in most often this week, \
        and the guest answered it at length.</p>\
        <p><a name=\"question-one\">One of the questions asked most often is this: what does the professor say?</a></p>\
        <p>The professor said that the figures were right, and that the season mattered more than most \
        people thought, before turning to the next point.</p>\
        <p><a href=\"/episodes\">All episodes of the podcast</a></p></article></body></html>";
    let body = body_of(html);
    assert_has(&body, &["what does the professor say?", "the figures were right"]);
    assert_lacks(&body, &["All episodes"]);
}

/// A short line ending in a colon at the very end of the article introduced a list of links that
/// was dropped; the same line inside the article introduces text and stays.
#[test]
fn label_line_left_at_the_end_of_the_article_is_dropped() {
    let html = "<html><body><article><h1>Winter walks</h1>\
        <p>The path follows the river for six kilometres, past the old mill and the two bridges, and it is \
        flat enough for a pram.</p>\
        <p>What to bring:</p>\
        <p>Warm boots, a thermos of tea and a map, because the signs are few and far between in winter.</p>\
        <p>More on this topic:</p>\
        <ul><li><a href=\"/a\">Ten winter walks</a></li><li><a href=\"/b\">Boots compared</a></li></ul>\
        </article></body></html>";
    let body = body_of(html);
    assert_has(&body, &["What to bring:", "Warm boots"]);
    assert_lacks(&body, &["More on this topic", "Ten winter walks"]);
}

/// A page that draws its article with a script and repeats it in `<noscript>` for readers without
/// one yields the `<noscript>` copy.
#[test]
fn article_only_in_noscript_is_read_from_there() {
    let html = "<html><head><title>Safer browsing</title></head><body><h1>Safer browsing</h1>\
        <div class=\"post\"><script type=\"text/template\"><p>Template copy</p></script>\
        <noscript><p>Over the past few years threats on the web have become more sophisticated, and \
        phishing sites now rotate their domains within hours.</p><p>The new protection checks pages \
        in real time, and it is designed so that the server never learns which pages a reader visits.</p>\
        </noscript></div><noscript><img src=\"/pixel.gif\"></noscript></body></html>";
    let body = body_of(html);
    assert_has(&body, &["phishing sites now rotate", "never learns which pages"]);
    assert_lacks(&body, &["<p>", "Template copy"]);
}

/// A label line followed straight away by a heading or another label introduced links that were
/// dropped; a label followed by text stays.
#[test]
fn label_line_with_nothing_after_it_but_a_heading_is_dropped() {
    let html = "<html><body><article><h1>Cloud model</h1>\
        <p>The new model resolves clouds and ocean eddies at a scale of a few kilometres, for the whole \
        planet at once, over several simulated months.</p>\
        <p>Further information:</p>\
        <ul><li><a href=\"/a\">Project page</a></li><li><a href=\"/b\">Data portal</a></li></ul>\
        <p>Contact:</p><p>Dr. Jane Roe, press office of the institute, who answers questions about the model.</p>\
        <p>Also interesting:</p><ul><li><a href=\"/c\">Older model</a></li><li><a href=\"/d\">Weather</a></li></ul>\
        <h2>How the run was made</h2>\
        <p>The run took four weeks on the institute's computer, with the output written every hour of model time.</p>\
        </article></body></html>";
    let body = body_of(html);
    assert_has(&body, &["Contact:", "Dr. Jane Roe", "How the run was made"]);
    assert_lacks(&body, &["Further information", "Also interesting", "Project page"]);
}
